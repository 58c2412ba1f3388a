package io.gatehouse.grpc;

import io.grpc.Metadata;
import io.grpc.internal.GrpcUtil;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcTimeoutTest {
    @Test
    void everyUnit() {
        assertThat(GrpcTimeout.parseNanos("2H")).isEqualTo(TimeUnit.HOURS.toNanos(2));
        assertThat(GrpcTimeout.parseNanos("3M")).isEqualTo(TimeUnit.MINUTES.toNanos(3));
        assertThat(GrpcTimeout.parseNanos("4S")).isEqualTo(TimeUnit.SECONDS.toNanos(4));
        assertThat(GrpcTimeout.parseNanos("250m")).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(GrpcTimeout.parseNanos("99999999u")).isEqualTo(TimeUnit.MICROSECONDS.toNanos(99_999_999));
        assertThat(GrpcTimeout.parseNanos("7n")).isEqualTo(7);
        assertThat(GrpcTimeout.parseNanos("0m")).isZero();
    }

    @Test
    void theLargestValueSaturates() {
        assertThat(GrpcTimeout.parseNanos("99999999H")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void malformedValues() {
        for (String value : new String[] {"", "S", "5", "123456789S", "5s", "5 S", "-5S", "+5S", "5.0S", "1e3m",
                "５S", "10ms"}) {
            assertThat(GrpcTimeout.parseNanos(value)).as(value).isEqualTo(GrpcTimeout.MALFORMED);
        }
    }

    @Test
    void formattedInTheFinestUnitOfAtMostEightDigits() {
        assertThat(GrpcTimeout.format(0)).isEqualTo("0n");
        assertThat(GrpcTimeout.format(99_999_999)).isEqualTo("99999999n");
        assertThat(GrpcTimeout.format(100_000_000)).isEqualTo("100000u");
        assertThat(GrpcTimeout.format(TimeUnit.SECONDS.toNanos(5) + 123)).isEqualTo("5000000u");
        assertThat(GrpcTimeout.format(TimeUnit.SECONDS.toNanos(150))).isEqualTo("150000m");
        assertThat(GrpcTimeout.format(TimeUnit.DAYS.toNanos(2))).isEqualTo("172800S");
        assertThat(GrpcTimeout.format(TimeUnit.DAYS.toNanos(36500))).isEqualTo("52560000M");
        assertThat(GrpcTimeout.format(Long.MAX_VALUE)).isEqualTo("2562047H");
        assertThatThrownBy(() -> GrpcTimeout.format(-1)).hasMessage("nanos: -1 (expected: >= 0)");
    }

    @Test
    void grpcJavaReadsWhatIsForwardedAsNoLongerThanTheBudget() {
        for (long nanos : new long[] {1, 99_999_999, 1_234_567_891, TimeUnit.MINUTES.toNanos(90) + 7,
                TimeUnit.DAYS.toNanos(400), Long.MAX_VALUE}) {
            String value = GrpcTimeout.format(nanos);
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER), value);
            long read = headers.get(GrpcUtil.TIMEOUT_KEY);
            assertThat(read).as(value).isLessThanOrEqualTo(nanos).isEqualTo(GrpcTimeout.parseNanos(value));
        }
    }
}
