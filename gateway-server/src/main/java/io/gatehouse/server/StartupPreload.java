package io.gatehouse.server;

import io.gatehouse.config.YamlReader;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.CountDownLatch;

/**
 * Prepares, on a thread of its own, what a start needs later, so that a second CPU shares the start's class
 * initialization with main: Jackson's YAML reader while main configures logging, then Netty's native transport and
 * buffer allocator while main reads the configuration (the JVM meters bind on a thread of their own, JvmMeters).
 * Class initialization is thread-safe: a thread that needs a class another one is initializing waits for it, so
 * each runs once whoever comes first. Nothing here is seen but time; a failure is left for the start to meet and
 * report as it would without this.
 */
final class StartupPreload {
    private final CountDownLatch loggingConfigured = new CountDownLatch(1);

    private StartupPreload() {}

    static StartupPreload start() {
        StartupPreload preload = new StartupPreload();
        Thread thread = new Thread(preload::run, "gatehouse-preload");
        thread.setDaemon(true);
        thread.start();
        return preload;
    }

    /**
     * Lets the second part go on. Netty logs through SLF4J, which must be initialized by main: a logger asked for
     * while another thread initializes SLF4J would be a substitute that replays its events later.
     */
    void loggingConfigured() {
        loggingConfigured.countDown();
    }

    private void run() {
        try {
            YamlReader.read("preload: true", "preload");
            loggingConfigured.await();
            Transport.best(); // first: the start needs it first; loads the native epoll library unless nio is asked for
            ByteBufAllocator.DEFAULT.isDirectBufferPooled(); // creates the adaptive allocator's magazines
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            // the start meets the same failure on main and reports it there
        }
    }
}
