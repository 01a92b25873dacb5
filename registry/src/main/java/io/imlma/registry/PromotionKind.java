package io.imlma.registry;

public enum PromotionKind {
    /** A version became champion by promotion (replacement policy or operator). */
    PROMOTE,
    /** A version became champion again by rolling back. */
    ROLLBACK
}
