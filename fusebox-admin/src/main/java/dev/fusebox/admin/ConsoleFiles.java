package dev.fusebox.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The console's files, read from the jar once at start and answered from memory: the page at
 * {@code /}, its scripts, style sheet and icon under {@code /console/}, and uPlot from its WebJar
 * under {@code /console/vendor/uplot-VERSION/}. Our own files are revalidated on every load
 * ({@code no-cache} with an ETag, so a new version shows at once and an unchanged one costs a 304);
 * uPlot's path carries its version, so browsers keep it for a year. Thread-safe (immutable).
 */
final class ConsoleFiles {

    /** The uPlot version of the WebJar on the class path (org.webjars.npm:uplot). */
    static final String UPLOT_VERSION = "1.6.30";
    static final String VENDOR_PATH = "/console/vendor/uplot-" + UPLOT_VERSION + "/";
    /** Our files, in {@code src/main/resources/dev/fusebox/admin/console/}. */
    static final List<String> OWN = List.of("index.html", "console.css", "favicon.svg", "app.js", "api.js",
            "format.js", "stream.js", "token.js", "overview.js", "breaker.js", "actions.js", "charts.js");
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/";
    private static final Map<String, String> VENDOR = Map.of("uPlot.esm.js", "dist/uPlot.esm.js",
            "uPlot.min.css", "dist/uPlot.min.css", "LICENSE", "LICENSE");

    private static final HttpField REVALIDATE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-cache");
    private static final HttpField KEEP = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL,
            "public, max-age=31536000, immutable");

    /** One file: its bytes, type, strong ETag and caching. */
    record File(byte[] body, String contentType, String etag, HttpField caching) {
    }

    private final Map<String, File> byPath = new HashMap<>();

    /** @throws IllegalStateException if a file is missing from the jar (a broken build) */
    ConsoleFiles() {
        for (String name : OWN) {
            File f = file(ConsoleFiles.class.getResourceAsStream("console/" + name), name, REVALIDATE);
            byPath.put(name.equals("index.html") ? "/" : "/console/" + name, f);
        }
        ClassLoader loader = ConsoleFiles.class.getClassLoader();
        VENDOR.forEach((name, resource) ->
                byPath.put(VENDOR_PATH + name, file(loader.getResourceAsStream(WEBJAR + resource), name, KEEP)));
    }

    /** The file served at {@code path} (the raw request path, without query), or null. */
    File find(String path) {
        return byPath.get(path);
    }

    /**
     * Answers a GET or HEAD for {@code file}: a 304 without body when the client's
     * {@code If-None-Match} names its ETag.
     */
    static void answer(Request request, Response response, Callback callback, File file) {
        boolean fresh = matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), file.etag());
        response.setStatus(fresh ? 304 : 200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        response.getHeaders().put(file.caching());
        response.getHeaders().put(HttpHeader.ETAG, file.etag());
        Headers.secure(response.getHeaders());
        boolean body = !fresh && !request.getMethod().equals("HEAD");
        if (!fresh) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, file.body().length);
        }
        response.write(true, body ? ByteBuffer.wrap(file.body()).asReadOnlyBuffer() : ByteBuffer.allocate(0), callback);
    }

    /** Whether an If-None-Match header ({@code "a", W/"b"} or {@code *}) names {@code etag}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(t -> t.equals("*") || t.equals(etag) || t.equals("W/" + etag));
    }

    private static File file(InputStream in, String name, HttpField caching) {
        if (in == null) {
            throw new IllegalStateException("the console file " + name + " is missing from the class path");
        }
        try (in) {
            byte[] body = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            String etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
            return new File(body, type(name), etag, caching);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String type(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> "text/plain; charset=utf-8";
        };
    }
}
