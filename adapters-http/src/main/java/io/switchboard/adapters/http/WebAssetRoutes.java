package io.switchboard.adapters.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The pages the hub serves from its jar (classpath folder {@code web/}, which is {@code clients/js}):
 * the JavaScript client under {@code /js/} and the dashboard under {@code /admin/}. Only HTML,
 * JavaScript and CSS files are served; anything else, and any path with {@code ..}, is 404.
 */
final class WebAssetRoutes implements HttpService {
    private static final String ROOT = "web/";
    private static final Map<String, String> TYPES = Map.of(
            ".html", "text/html; charset=utf-8",
            ".js", "text/javascript; charset=utf-8",
            ".mjs", "text/javascript; charset=utf-8",
            ".css", "text/css; charset=utf-8");

    @Override
    public void routing(HttpRules rules) {
        rules.get("/admin", (req, res) -> {
            res.status(Status.MOVED_PERMANENTLY_301);
            res.header(HeaderNames.LOCATION, "/admin/");
            res.send();
        })
                .get("/admin/", (req, res) -> serve(res, "admin/index.html"))
                .get("/admin/*", (req, res) -> serve(res, "admin/" + rest(req, "/admin/")))
                .get("/js/*", (req, res) -> serve(res, rest(req, "/js/")));
    }

    private static String rest(ServerRequest req, String prefix) {
        String path = req.path().path();
        return path.length() > prefix.length() ? path.substring(prefix.length()) : "";
    }

    private static void serve(ServerResponse res, String path) {
        String type = contentType(path);
        byte[] body = type == null ? null : read(path);
        if (body == null) {
            JsonBodies.sendError(res, Status.NOT_FOUND_404, "NOT_FOUND", "no such page");
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, type);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(body);
    }

    /** The content type for a safe path with a served extension, else {@code null}. */
    static String contentType(String path) {
        if (path.isEmpty() || path.contains("..") || path.contains("\\") || path.contains("//") || path.startsWith("/")
                || path.contains("%")) {
            return null;
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? null : TYPES.get(path.substring(dot));
    }

    private static byte[] read(String path) {
        try (InputStream in = WebAssetRoutes.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
