package io.gatehouse.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered for every test through
 * JUnit's extension auto-detection (see {@code junit-platform.properties}).
 *
 * <p>Leaks surface only when the garbage collector has collected a leaked buffer and the detector next tracks
 * an allocation, so this forces a few collections and allocations before it looks.
 */
public final class LeakDetectionExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("tests must run with -Dio.netty.leakDetection.level=paranoid");
        }
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            allocateAndRelease();
        }
        List<String> leaks = FailingLeakDetector.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s) in " + context.getDisplayName()
                    + ":\n" + String.join("\n", leaks));
        }
    }

    private static void allocateAndRelease() {
        for (int i = 0; i < 64; i++) {
            ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
            pooled.release();
            ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
            unpooled.release();
        }
    }
}
