package dev.fusebox.notify;

/**
 * What an {@link AlertNotifier} has done since it started.
 *
 * @param sent notifications delivered (a 2xx answer)
 * @param retried attempts that failed and were tried again
 * @param failed notifications given up on: refused (a 4xx other than 429) or out of attempts
 * @param dropped notifications not queued because the queue was full, or still queued at close
 */
public record NotifierStats(long sent, long retried, long failed, long dropped) {
}
