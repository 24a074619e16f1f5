/** Trips, resets and recoveries to Slack, and PagerDuty incidents: {@code dev.fusebox.notify}. */
module dev.fusebox.notify {
    requires transitive dev.fusebox.core;
    requires transitive java.net.http;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports dev.fusebox.notify;
}
