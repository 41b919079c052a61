package io.vigil.deploy.dashboard;

import com.sun.net.httpserver.HttpExchange;
import io.vigil.deploy.dashboard.DashboardUsers.Principal;
import java.io.IOException;

/**
 * One line of the dashboard's route table: a method, a path (exact, or every path under it when it ends in {@code /}, except {@code /} itself),
 * whether it changes something (then it needs the admin role, the session's CSRF token and the page's own origin),
 * and what answers it.
 */
record Route(String method, String path, boolean write, Handler handler) {
    interface Handler {
        void handle(HttpExchange ex, Principal who) throws IOException;
    }

    static Route get(String path, Handler h) {
        return new Route("GET", path, false, h);
    }

    static Route post(String path, Handler h) {
        return new Route("POST", path, true, h);
    }

    static Route delete(String path, Handler h) {
        return new Route("DELETE", path, true, h);
    }

    boolean matches(String m, String p) {
        boolean prefix = path.length() > 1 && path.endsWith("/"); // "/" itself is the page, not everything
        return method.equals(m) && (prefix ? p.startsWith(path) && p.length() > path.length() : p.equals(path));
    }
}
