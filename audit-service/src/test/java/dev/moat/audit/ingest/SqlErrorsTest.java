package dev.moat.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlErrorsTest {

    @ParameterizedTest(name = "SQLState {0} refused data: {1}")
    @CsvSource({
            "22001, true",   // value too long
            "22021, true",   // bad character encoding
            "23502, true",   // not null
            "23513, true",   // check constraint
            "23505, false",  // unique: another consumer stored it at the same moment, retry skips it
            "08001, false",  // cannot connect
            "57P01, false",  // admin shutdown
            "40001, false",  // serialization failure
    })
    void tells_refused_data_from_a_database_that_is_unavailable(String state, boolean refused) {
        assertThat(SqlErrors.isRefusedData(new SQLException("x", state))).isEqualTo(refused);
    }

    @ParameterizedTest
    @CsvSource({"22001, true", "08001, false"})
    void looks_at_the_cause_of_a_batch_failure(String state, boolean refused) {
        SQLException batch = new SQLException("batch failed", (String) null);
        batch.initCause(new SQLException("x", state));
        assertThat(SqlErrors.isRefusedData(batch)).isEqualTo(refused);
    }
}
