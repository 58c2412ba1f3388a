package io.gatehouse.route;

/** How a route matches the path; declared from least to most specific, so a higher ordinal wins a tie. */
enum PathKind {
    REGEX, PREFIX, TEMPLATE, EXACT
}
