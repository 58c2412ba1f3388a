package io.gatehouse.discovery;

/**
 * Keeps one pool's discovered members current (etcd keys under a prefix, DNS records). A lost source keeps the
 * last known members: {@link MembershipListener#membersChanged} is called only with a list actually read.
 */
public interface Discovery extends AutoCloseable {
    /** Reads the members, reports them, then keeps watching; never blocks the caller for long. */
    void start(MembershipListener listener);

    @Override
    void close();
}
