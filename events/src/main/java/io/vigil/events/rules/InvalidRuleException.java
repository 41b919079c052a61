package io.vigil.events.rules;

/** A rule that cannot be used, with what is wrong in words a user can act on (it goes to vigil.deadletter). */
public final class InvalidRuleException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidRuleException(String message) {
        super(message);
    }
}
