package dev.moat.vault.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import javax.sql.DataSource;

/**
 * The JDBC plumbing every store would otherwise repeat: one transaction around a piece of work, a statement with its
 * arguments, rows read into records. Plain SQL that H2 and PostgreSQL both run.
 */
public final class Jdbc {

    /** Work on a connection, inside the caller's transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Reads the current row of a result. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** SQLState of a unique (or primary key) violation, in H2 and PostgreSQL alike. */
    public static final String UNIQUE_VIOLATION = "23505";

    private Jdbc() {
    }

    /**
     * Runs {@code work} in one transaction, committed when it returns and rolled back when it throws; a database
     * failure becomes an {@link IllegalStateException} naming {@code store} (the request gets a 500, never a guess).
     */
    public static <T> T inTransaction(DataSource dataSource, String store, Work<T> work) {
        return inTransaction(dataSource, store, work, result -> true);
    }

    /**
     * Runs {@code work} in one transaction, committed when {@code commit} accepts its result and rolled back when it
     * does not or when the work throws; a database failure becomes an {@link IllegalStateException} naming
     * {@code store}.
     */
    public static <T> T inTransaction(DataSource dataSource, String store, Work<T> work, Predicate<T> commit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                if (commit.test(result)) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed(store, e);
        }
    }

    /**
     * Runs {@code work} on a connection with auto-commit on: a read, or statements that each commit on their own; a
     * database failure becomes an {@link IllegalStateException} naming {@code store}.
     */
    public static <T> T autoCommit(DataSource dataSource, String store, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw failed(store, e);
        }
    }

    private static IllegalStateException failed(String store, SQLException e) {
        return new IllegalStateException(store + " failed: " + e.getMessage(), e);
    }

    /** Runs an INSERT, UPDATE or DELETE. @return how many rows it changed */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    /**
     * Writes a row that several replicas may create at once: the {@code update}, else the {@code insert}; when a
     * concurrent writer inserted first (SQL unique violation), the {@code update} again, so the last writer wins as
     * with one replica. {@code c} must auto-commit: in PostgreSQL a failed statement ends the transaction around it.
     *
     * @return whether this call inserted the row
     */
    public static boolean updateElseInsert(Connection c, String update, Object[] updateArgs, String insert,
            Object... insertArgs) throws SQLException {
        if (update(c, update, updateArgs) > 0) {
            return false;
        }
        try {
            update(c, insert, insertArgs);
            return true;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            update(c, update, updateArgs);
            return false;
        }
    }

    /** The first row of a query, read by {@code reader}. */
    public static <T> Optional<T> one(Connection c, String sql, Reader<T> reader, Object... args) throws SQLException {
        List<T> rows = list(c, sql, reader, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Every row of a query, read by {@code reader}. */
    public static <T> List<T> list(Connection c, String sql, Reader<T> reader, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(reader.read(rs));
                }
            }
            return rows;
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }
}
