package io.vigil.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** jvm.options is the one list; the places that cannot read it at run time are checked against it. */
class JvmOptionsTest {
    @Test
    void theListHasTheVectorModuleAndFlinksOpens() {
        List<String> o = FlinkConf.JVM_OPTIONS;
        assertEquals("jdk.incubator.vector", o.get(o.indexOf("--add-modules") + 1));
        assertTrue(o.contains("--add-opens=java.base/java.util=ALL-UNNAMED"), o.toString());
        assertTrue(o.stream().noneMatch(s -> s.contains(" ") || s.startsWith("#")), "one option per line: " + o);
    }

    @Test
    void thePomsTestJvmArgsAreTheList() throws Exception {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<vigil.test.jvm.args>(.*?)</vigil.test.jvm.args>").matcher(pom);
        assertTrue(m.find(), "pom.xml has no vigil.test.jvm.args");
        assertEquals(FlinkConf.JVM_OPTIONS, Arrays.asList(m.group(1).trim().split("\\s+")), "pom.xml vigil.test.jvm.args vs jvm.options");
    }

    @Test
    void theLauncherReadsTheList() throws Exception {
        String launcher = Files.readString(Path.of("..", "vigil"));
        assertTrue(launcher.contains("deploy/src/main/resources/io/vigil/deploy/jvm.options"), "./vigil reads jvm.options");
        assertTrue(!launcher.contains("--add-opens"), "./vigil has no list of its own");
    }
}
