package io.imlma.common.types;

public enum Severity {
    INFO,
    WARNING,
    CRITICAL
}
