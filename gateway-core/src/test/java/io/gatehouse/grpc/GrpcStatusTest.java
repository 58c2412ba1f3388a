package io.gatehouse.grpc;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcStatusTest {
    @Test
    void numberedAsGrpcJavaNumbersThem() {
        for (Status.Code code : Status.Code.values()) {
            GrpcStatus status = GrpcStatus.ofValue(code.value());
            assertThat(status.name()).isEqualTo(code.name());
            assertThat(status.headerValue().toString()).isEqualTo(Integer.toString(code.value()));
        }
        assertThat(GrpcStatus.values()).hasSize(Status.Code.values().length);
        assertThat(GrpcStatus.ofValue(17)).isNull();
        assertThat(GrpcStatus.ofValue(-1)).isNull();
    }

    @Test
    void headerValuesAreOneOrTwoDigits() {
        assertThat(GrpcStatus.ofHeader("0")).isEqualTo(GrpcStatus.OK);
        assertThat(GrpcStatus.ofHeader("14")).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(GrpcStatus.ofHeader("014")).isNull();
        assertThat(GrpcStatus.ofHeader("17")).isNull();
        assertThat(GrpcStatus.ofHeader("-1")).isNull();
        assertThat(GrpcStatus.ofHeader("")).isNull();
        assertThat(GrpcStatus.ofHeader(null)).isNull();
        assertThat(GrpcStatus.ofHeader(" 1")).isNull();
    }

    @Test
    void theConfigWritesANameInAnyCaseOrANumber() {
        assertThat(GrpcStatus.parse("unavailable")).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(GrpcStatus.parse("Deadline_Exceeded")).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
        assertThat(GrpcStatus.parse("8")).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        assertThat(GrpcStatus.UNAVAILABLE.yamlName()).isEqualTo("unavailable");
        assertThatThrownBy(() -> GrpcStatus.parse("unavailible")).hasMessage(GrpcStatus.EXPECTED);
    }

    @Test
    void refusalsMapByTheSpecWithQuotasAndTimeoutsAsGrpcHasThem() {
        assertThat(GrpcStatus.ofHttpStatus(400)).isEqualTo(GrpcStatus.INTERNAL);
        assertThat(GrpcStatus.ofHttpStatus(401)).isEqualTo(GrpcStatus.UNAUTHENTICATED);
        assertThat(GrpcStatus.ofHttpStatus(403)).isEqualTo(GrpcStatus.PERMISSION_DENIED);
        assertThat(GrpcStatus.ofHttpStatus(404)).isEqualTo(GrpcStatus.UNIMPLEMENTED);
        assertThat(GrpcStatus.ofHttpStatus(408)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
        assertThat(GrpcStatus.ofHttpStatus(413)).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        assertThat(GrpcStatus.ofHttpStatus(429)).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
        assertThat(GrpcStatus.ofHttpStatus(502)).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(GrpcStatus.ofHttpStatus(503)).isEqualTo(GrpcStatus.UNAVAILABLE);
        assertThat(GrpcStatus.ofHttpStatus(504)).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
        assertThat(GrpcStatus.ofHttpStatus(405)).isEqualTo(GrpcStatus.UNKNOWN);
        assertThat(GrpcStatus.ofHttpStatus(500)).isEqualTo(GrpcStatus.UNKNOWN);
    }
}
