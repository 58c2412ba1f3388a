package io.gatehouse.samples;

import static io.gatehouse.samples.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConcurrentCreateTest {

    private static final int THREADS = 16;
    private static final int CREATES_PER_THREAD = 25;

    @ParameterizedTest
    @EnumSource(ServiceKind.class)
    void concurrentCreatesGetUniqueIds(ServiceKind kind) throws Exception {
        try (SampleServer server = SampleServer.start(kind, 0)) {
            ServiceClient client = new ServiceClient(server);
            String base = kind.resourcePath();
            int seeded = json(client.get(base)).size();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            try {
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    Callable<List<Long>> task = () -> {
                        go.await();
                        List<Long> ids = new ArrayList<>();
                        for (int i = 0; i < CREATES_PER_THREAD; i++) {
                            HttpResponse<String> created = client.post(base, body(kind, thread, i));
                            assertThat(created.statusCode()).isEqualTo(201);
                            ids.add(json(created).path("id").asLong());
                        }
                        return ids;
                    };
                    results.add(pool.submit(task));
                }
                go.countDown();
                List<Long> ids = new ArrayList<>();
                for (Future<List<Long>> result : results) {
                    ids.addAll(result.get(60, TimeUnit.SECONDS));
                }

                assertThat(ids).hasSize(THREADS * CREATES_PER_THREAD).doesNotHaveDuplicates();
                JsonNode all = json(client.get(base));
                assertThat(all.size()).isEqualTo(seeded + THREADS * CREATES_PER_THREAD);
                assertThat(all.findValues("id")).extracting(JsonNode::asLong).containsAll(ids).isSorted();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static String body(ServiceKind kind, int thread, int i) {
        return kind == ServiceKind.USERS
                ? "{\"name\":\"User " + thread + "-" + i + "\",\"email\":\"u" + thread + "-" + i + "@example.com\"}"
                : "{\"sku\":\"C-" + thread + "-" + i + "\",\"name\":\"Part\",\"quantity\":" + i + ",\"price\":1.5}";
    }
}
