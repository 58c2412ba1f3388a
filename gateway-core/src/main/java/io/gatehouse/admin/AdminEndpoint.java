package io.gatehouse.admin;

import java.util.concurrent.CompletionStage;

/**
 * One method on one admin path. Called on the admin worker thread (one for the API, never an event loop), so it
 * may compute at length but should not wait: work that belongs to the reload thread (validating, applying, reading
 * the running config) completes the stage from there; the answer is written back on the connection's event loop.
 * Bad input is refused by throwing (or completing with) an {@link AdminException}.
 */
@FunctionalInterface
interface AdminEndpoint {
    CompletionStage<AdminResponse> handle(AdminRequest request);
}
