package io.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.ApiKeysConfig;
import io.gatehouse.config.IpRules;
import io.gatehouse.config.RateLimitConfig;
import io.gatehouse.config.RateLimitConfig.KeyKind;
import io.gatehouse.context.Rejection;
import io.gatehouse.metrics.GatewayMetrics;
import io.gatehouse.testing.Sha256;
import io.github.bucket4j.ConsumptionProbe;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The chain as a list of steps: a request that waited for a shared bucket resumes at the step, and the limiter
 * within it, that waited; the steps before it (here the API key) are not run again and no limiter is asked twice.
 * The buckets are fakes whose answers the test completes, so the waits happen exactly where intended.
 */
class AdmissionChainTest {
    private static final String KEY = "0123456789abcdef-dev";
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    /** A bucket store that answers when the test says: each acquire takes the next queued answer. */
    private static final class ScriptedLimiter implements Limiter {
        private final RateLimitConfig.Policy policy;
        private final List<CompletableFuture<ConsumptionProbe>> answers = new ArrayList<>();
        final List<BucketKey> asked = new ArrayList<>();

        ScriptedLimiter(String id, KeyKind key) {
            this.policy = new RateLimitConfig.Policy(id, key, null, 10, Duration.ofMinutes(1), 10);
        }

        /** The next acquire's answer, to complete later. */
        CompletableFuture<ConsumptionProbe> answerLater() {
            CompletableFuture<ConsumptionProbe> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public RateLimitConfig.Policy policy() {
            return policy;
        }

        @Override
        public AsciiString headerName() {
            return null;
        }

        @Override
        public CompletableFuture<ConsumptionProbe> acquire(BucketKey key) {
            asked.add(key);
            return answers.isEmpty() ? CompletableFuture.completedFuture(ConsumptionProbe.consumed(9, 0))
                    : answers.remove(0);
        }

        @Override
        public Rejection onFailure(Throwable cause) {
            return null;
        }
    }

    private final GatewayMetrics metrics = new GatewayMetrics();
    private final SecurityRejections rejections = new SecurityRejections(metrics, "X-API-Key");
    private final AdmissionProgress progress = new AdmissionProgress();
    private final HttpHeaders headers = new DefaultHttpHeaders().set("X-API-Key", KEY);

    private RoutePolicy chain(List<Limiter> beforeAuth, List<Limiter> afterAuth) {
        ApiKeysConfig keys = new ApiKeysConfig("X-API-Key", null, List.of(new ApiKeysConfig.ApiKey("dev-team",
                HexFormat.of().parseHex(Sha256.hex(KEY)), List.of("reader"))));
        IpRulesStep ipRules = new IpRulesStep(IpRules.NONE, IpRules.NONE, rejections);
        return new RoutePolicy(null, ipRules, List.of(new RateLimitStep("r", beforeAuth),
                new ApiKeyStep(new ApiKeyAuthenticator(keys, metrics), rejections),
                new RateLimitStep("r", afterAuth)), null, rejections);
    }

    private Admission admit(RoutePolicy policy) {
        return policy.admit(headers, CLIENT, null, progress);
    }

    @Test
    void aWaitAfterTheApiKeyResumesThereWithoutCheckingTheKeyAgainOrTakingATokenTwice() {
        ScriptedLimiter perIp = new ScriptedLimiter("per-ip", KeyKind.CLIENT_IP);
        ScriptedLimiter perConsumer = new ScriptedLimiter("per-consumer", KeyKind.CONSUMER);
        CompletableFuture<ConsumptionProbe> redis = perConsumer.answerLater();
        RoutePolicy policy = chain(List.of(perIp), List.of(perConsumer));
        progress.reset();

        assertThat(admit(policy)).isEqualTo(new Admission.Waiting(redis));
        headers.remove("X-API-Key"); // were the key read again, the request would now be refused
        redis.complete(ConsumptionProbe.consumed(3, 0));
        Admission resumed = admit(policy);

        assertThat(resumed).isInstanceOf(Admission.Admitted.class);
        assertThat(((Admission.Admitted) resumed).principal().consumerId()).isEqualTo("dev-team");
        assertThat(((Admission.Admitted) resumed).rateLimit().remaining()).as("the tightest of both").isEqualTo(3);
        assertThat(perIp.asked).as("the limiter before the wait").hasSize(1);
        assertThat(perConsumer.asked).containsExactly(BucketKey.consumer("dev-team"));
    }

    @Test
    void aGroupResumesAtTheLimiterThatWaitedNotAtItsFirst() {
        ScriptedLimiter first = new ScriptedLimiter("first", KeyKind.CLIENT_IP);
        ScriptedLimiter second = new ScriptedLimiter("second", KeyKind.GLOBAL);
        ScriptedLimiter third = new ScriptedLimiter("third", KeyKind.CLIENT_IP);
        CompletableFuture<ConsumptionProbe> secondAnswer = second.answerLater();
        CompletableFuture<ConsumptionProbe> thirdAnswer = third.answerLater();
        RoutePolicy policy = chain(List.of(first, second, third), List.of());
        progress.reset();

        assertThat(admit(policy)).isEqualTo(new Admission.Waiting(secondAnswer));
        secondAnswer.complete(ConsumptionProbe.consumed(5, 0));
        assertThat(admit(policy)).isEqualTo(new Admission.Waiting(thirdAnswer));
        thirdAnswer.complete(ConsumptionProbe.consumed(7, 0));
        Admission admitted = admit(policy);

        assertThat(admitted).isInstanceOf(Admission.Admitted.class);
        assertThat(((Admission.Admitted) admitted).rateLimit().remaining()).isEqualTo(5);
        assertThat(first.asked).hasSize(1);
        assertThat(second.asked).hasSize(1);
        assertThat(third.asked).hasSize(1);
    }

    @Test
    void aNewRequestStartsAtTheFirstStepWithNothingLeftFromTheLastOne() {
        ScriptedLimiter perIp = new ScriptedLimiter("per-ip", KeyKind.CLIENT_IP);
        ScriptedLimiter perConsumer = new ScriptedLimiter("per-consumer", KeyKind.CONSUMER);
        CompletableFuture<ConsumptionProbe> never = perConsumer.answerLater();
        RoutePolicy policy = chain(List.of(perIp), List.of(perConsumer));
        progress.reset();
        assertThat(admit(policy)).isEqualTo(new Admission.Waiting(never));

        progress.reset();
        headers.remove("X-API-Key");
        Admission next = admit(policy);

        assertThat(next).isInstanceOf(Admission.Refused.class);
        assertThat(((Admission.Refused) next).rejection().status().code()).isEqualTo(401);
        assertThat(perIp.asked).as("the new request took its own token").hasSize(2);
    }
}
