package io.gatehouse.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.reload.ReloadOutcome;
import io.netty.handler.codec.http.HttpResponseStatus;

/** How the admin API answers with a {@link ReloadOutcome}: the outcome as is, or 422 with the errors. */
final class ReloadResponses {
    private ReloadResponses() {}

    /**
     * 422 {@code config_rejected} with the errors when rejected; else {@code success} with the outcome.
     *
     * @param persist the request asked for the change to be written to the source; the answer says whether it was
     */
    static AdminResponse of(ReloadOutcome outcome, HttpResponseStatus success, boolean persist) {
        if (outcome.result() == ReloadOutcome.Result.REJECTED) {
            ObjectNode body = AdminResponse.errorBody("config_rejected",
                    "the config was refused; the running config stays");
            outcome.errors().forEach(body.putArray("errors")::add);
            body.set("outcome", outcome.toJson());
            return AdminResponse.of(HttpResponseStatus.UNPROCESSABLE_ENTITY, body);
        }
        ObjectNode body = outcome.toJson();
        if (persist) {
            body.put("persisted", outcome.errors().isEmpty()); // the errors say why writing it failed
        }
        return AdminResponse.of(success, body);
    }
}
