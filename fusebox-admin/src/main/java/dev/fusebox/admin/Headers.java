package dev.fusebox.admin;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * The headers every answer carries, the API's as well as the console's: the browser runs only
 * scripts and styles from this server's own files (no inline script, no other origin), no page may
 * frame it (against clickjacking), a file is never read as another type than it is sent as, and
 * no URL leaks to other sites in a Referer.
 */
final class Headers {

    /** Our own files only; {@code data:} images for the icons uPlot and the browser draw. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final HttpField CSP = new PreEncodedHttpField("Content-Security-Policy", POLICY);
    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    private static final HttpField NO_FRAMES = new PreEncodedHttpField("X-Frame-Options", "DENY");
    private static final HttpField NO_REFERRER = new PreEncodedHttpField("Referrer-Policy", "no-referrer");

    private Headers() {
    }

    /** Adds the security headers to {@code headers}. */
    static void secure(HttpFields.Mutable headers) {
        headers.put(CSP);
        headers.put(NOSNIFF);
        headers.put(NO_FRAMES);
        headers.put(NO_REFERRER);
    }
}
