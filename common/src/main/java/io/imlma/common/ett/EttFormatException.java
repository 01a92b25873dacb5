package io.imlma.common.ett;

/** A line of an ETT-format CSV that cannot be used; the message is the reason, readable by an operator. */
public class EttFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public EttFormatException(String reason) {
        super(reason);
    }
}
