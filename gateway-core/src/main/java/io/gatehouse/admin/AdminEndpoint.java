package io.gatehouse.admin;

import java.util.concurrent.CompletionStage;

/**
 * One method on one admin path. Called on the connection's event loop, so it must not block: work that waits (a
 * reload, reading the config source) runs elsewhere and completes the stage; the answer is written back on the
 * event loop. Bad input is refused by throwing (or completing with) an {@link AdminException}.
 */
@FunctionalInterface
interface AdminEndpoint {
    CompletionStage<AdminResponse> handle(AdminRequest request);
}
