package dev.fusebox.admin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for some of many asynchronous requests, whichever the server answers first. */
final class Answers {

    private Answers() {
    }

    /** Waits until {@code count} of {@code requests} are answered, at most {@code timeout}; returns those answered. */
    static List<HttpResponse<String>> await(List<CompletableFuture<HttpResponse<String>>> requests,
            int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<CompletableFuture<HttpResponse<String>>> pending = requests.stream().filter(f -> !f.isDone()).toList();
            long left = deadline - System.nanoTime();
            if (requests.size() - pending.size() >= count || left <= 0) {
                break;
            }
            try {
                CompletableFuture.anyOf(pending.toArray(CompletableFuture[]::new)).get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException stillWaiting) {
                break;
            }
        }
        List<HttpResponse<String>> answered = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : requests) {
            if (f.isDone()) {
                answered.add(f.join());
            }
        }
        return answered;
    }
}
