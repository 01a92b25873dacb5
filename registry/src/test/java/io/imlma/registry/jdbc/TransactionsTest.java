package io.imlma.registry.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imlma.common.config.Settings;
import io.imlma.registry.RegistryException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transaction helper on embedded H2: commit, rollback, retry of transient failures only. */
class TransactionsTest {
    private static final String INSERT = "INSERT INTO models (name, created_at_ms) VALUES (?, ?)";

    private Transactions transactions;

    @BeforeEach
    void open() {
        transactions = Transactions.open(new Settings(Map.of(RegistryDataSource.JDBC_URL.key(),
                RegistryDataSource.h2InMemory("transactions-" + UUID.randomUUID()))));
    }

    @AfterEach
    void close() {
        transactions.close();
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        assertThatThrownBy(() -> transactions.inTransaction("store two models", c -> {
            Sql.update(c, INSERT, Sql.values("first", 1L));
            throw new IllegalStateException("second refused");
        })).isInstanceOf(IllegalStateException.class);
        transactions.inTransaction("store one model", c -> Sql.update(c, INSERT, Sql.values("second", 2L)));

        assertThat(names()).containsExactly("second");
    }

    @Test
    void aTransientFailureIsRunAgain() {
        AtomicInteger attempts = new AtomicInteger();
        int changed = transactions.inTransaction("store a model", c -> {
            Sql.update(c, INSERT, Sql.values("m-" + attempts.incrementAndGet(), 1L));
            if (attempts.get() < 3) {
                throw new SQLTransactionRollbackException("deadlock", "40001");
            }
            return 1;
        });

        assertThat(changed).isEqualTo(1);
        assertThat(attempts).hasValue(3);
        assertThat(names()).as("the failed attempts were rolled back").containsExactly("m-3");
    }

    @Test
    void anyOtherFailureIsReportedOnceWithWhatFailed() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> transactions.inTransaction("store a model", c -> {
            attempts.incrementAndGet();
            return Sql.update(c, "INSERT INTO no_such_table (name) VALUES (?)", Sql.values("m"));
        })).isInstanceOf(RegistryException.class).hasMessageStartingWith("Could not store a model: ")
                .hasCauseInstanceOf(SQLException.class);
        assertThat(attempts).hasValue(1);
    }

    private List<String> names() {
        return transactions.withConnection("list models",
                c -> Sql.query(c, "SELECT name FROM models ORDER BY name", Sql.values(), rs -> rs.getString(1)));
    }
}
