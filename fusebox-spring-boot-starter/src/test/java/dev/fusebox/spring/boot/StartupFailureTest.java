package dev.fusebox.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.CircuitOpenException;
import dev.fusebox.spring.annotation.Breaker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.annotation.Async;

/** Mistakes stop the application at start, with a message that says what to write instead. */
class StartupFailureTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class,
                    FuseboxAnnotationAutoConfiguration.class))
            .withPropertyValues("fusebox.store.type=memory");

    @TempDir
    Path dir;

    static class MissingFallback {
        @Breaker(key = "draftkings", fallbackMethod = "cachedMarkets")
        public List<String> markets(String sport) {
            return List.of(sport);
        }
    }

    static class FallbackWithoutException {
        @Breaker(key = "draftkings", fallbackMethod = "cachedMarkets")
        public List<String> markets(String sport) {
            return List.of(sport);
        }

        List<String> cachedMarkets(String sport) {
            return List.of();
        }
    }

    static class FallbackOfAnotherType {
        @Breaker(key = "draftkings", fallbackMethod = "cachedMarkets")
        public List<String> markets(String sport) {
            return List.of(sport);
        }

        String cachedMarkets(String sport, CircuitOpenException e) {
            return "";
        }
    }

    static class SyncFallbackForAnAsyncMethod {
        @Breaker(key = "draftkings", fallbackMethod = "cachedOdds")
        public CompletableFuture<String> odds(String sport) {
            return CompletableFuture.completedFuture(sport);
        }

        Object cachedOdds(String sport, Exception e) {
            return "";
        }
    }

    static class PrivateMethod {
        @Breaker(key = "draftkings")
        private String markets(String sport) {
            return sport;
        }

        public String call(String sport) {
            return markets(sport);
        }
    }

    static class BadKey {
        @Breaker(key = "draft\u200Bkings")
        public String markets(String sport) {
            return sport;
        }
    }

    static class FutureMethod {
        @Breaker(key = "draftkings")
        public Future<String> odds(String sport) {
            return CompletableFuture.failedFuture(new IOException("500 Internal Server Error"));
        }
    }

    static class PublisherMethod {
        @Breaker(key = "draftkings")
        public OddsFeed odds(String sport) {
            return new OddsFeed();
        }
    }

    /** A Mono or Flux as far as the starter can tell: a Reactive Streams Publisher, failing on subscription. */
    static class OddsFeed implements Publisher<String> {
        @Override
        public void subscribe(Subscriber<? super String> subscriber) {
            subscriber.onError(new IOException("500 Internal Server Error"));
        }
    }

    static class AsyncVoidMethod {
        @Async
        @Breaker(key = "draftkings")
        public void publishOdds(String sport) {
        }
    }

    @Async
    static class AsyncClass {
        @Breaker(key = "draftkings")
        public void publishOdds(String sport) {
        }
    }

    @Async
    static class AsyncClassReturningAFuture {
        @Breaker(key = "draftkings")
        public CompletableFuture<String> odds(String sport) {
            return CompletableFuture.completedFuture(sport);
        }
    }

    @Test
    void aMissingFallbackNamesTheMethodAndTheSignatureExpected() {
        runner.withBean(MissingFallback.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("@Breaker on MissingFallback.markets(String): fallbackMethod 'cachedMarkets'"
                        + " must be declared in MissingFallback as 'List<String> cachedMarkets(String, Throwable)'")
                .hasMessageContaining("there is no method of that name"));
    }

    @Test
    void aFallbackWithoutTheExceptionParameterIsRefused() {
        runner.withBean(FallbackWithoutException.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("'List<String> cachedMarkets(String, Throwable)'")
                .hasMessageContaining("found 'List<String> cachedMarkets(String)'"));
    }

    @Test
    void aFallbackReturningAnotherTypeIsRefused() {
        runner.withBean(FallbackOfAnotherType.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("found 'String cachedMarkets(String, CircuitOpenException)'"));
    }

    @Test
    void anAsyncMethodsFallbackMustReturnAFuture() {
        runner.withBean(SyncFallbackForAnAsyncMethod.class).run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageContaining("'CompletableFuture<String> cachedOdds(String, Throwable)'"));
    }

    @Test
    void aPrivateMethodIsRefusedBecauseTheProxyCannotSeeIt() {
        runner.withBean(PrivateMethod.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("@Breaker on PrivateMethod.markets(String): the method is private"));
    }

    @Test
    void aFutureThatIsNotACompletionStageIsRefusedBecauseItsFailureArrivesLater() {
        runner.withBean(FutureMethod.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("@Breaker on FutureMethod.odds(String): it returns Future (a Future but not a"
                        + " CompletionStage)")
                .hasMessageContaining("the breaker would count every call as an instant success; return a"
                        + " CompletableFuture"));
    }

    @Test
    void aReactiveStreamsPublisherIsRefused() {
        runner.withBean(PublisherMethod.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("@Breaker on PublisherMethod.odds(String): it returns OddsFeed (a Reactive"
                        + " Streams Publisher)"));
    }

    @Test
    void anAsyncVoidMethodIsRefusedWhetherTheMethodOrItsClassIsAsync() {
        runner.withBean(AsyncVoidMethod.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("@Breaker on AsyncVoidMethod.publishOdds(String): it is @Async and returns void"));
        runner.withBean(AsyncClass.class).run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("@Breaker on AsyncClass.publishOdds(String): it is @Async and returns void"));
    }

    @Test
    void anAsyncMethodReturningACompletableFutureStarts() {
        runner.withBean(AsyncClassReturningAFuture.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aKeyThatPrintsLikeAnotherIsRefused() {
        runner.withBean(BadKey.class).run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("@Breaker on BadKey.markets(String): key must not contain U+200B"));
    }

    @Test
    void aSettingOutOfRangeNamesTheProperty() {
        runner.withPropertyValues("fusebox.breakers.draftkings.failure-threshold=-1")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("fusebox.breakers[draftkings]: failureThreshold must be"));
    }

    @Test
    void settingsThatContradictEachOtherAreNamed() {
        runner.withPropertyValues("fusebox.prefixes.db.open-wait=5m", "fusebox.prefixes.db.max-open-wait=1m")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("fusebox.prefixes[db]: maxOpenWait must be >= openWait"));
    }

    @Test
    void aDatabaseUrlWithoutTypeJdbcIsRefusedRatherThanLeftForALocalFile() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class))
                .withPropertyValues("fusebox.store.url=jdbc:postgresql://db:5432/fusebox", "fusebox.store.username=fusebox",
                        "fusebox.store.password=secret", "fusebox.store.sqlite-file=" + dir.resolve("local.db"))
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("fusebox.store.type is sqlite,"
                        + " so fusebox.store.url, fusebox.store.username, fusebox.store.password would be ignored:"
                        + " set fusebox.store.type=jdbc"));
        runner.withPropertyValues("fusebox.store.password=secret").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("fusebox.store.type is memory, so fusebox.store.password would be ignored"));
    }

    @Test
    void aJdbcStoreNeedsAUrl() {
        runner.withPropertyValues("fusebox.store.type=jdbc").run(context -> assertThat(context).getFailure()
                .hasStackTraceContaining("fusebox.store.url must be set when fusebox.store.type is jdbc"));
    }
}
