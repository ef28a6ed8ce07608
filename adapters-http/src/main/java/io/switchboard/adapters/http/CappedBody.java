package io.switchboard.adapters.http;

import io.helidon.webserver.http.ServerRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/**
 * A request body read only up to its limit (SPEC 15): a larger declared length is refused before a
 * byte of the body is read, a longer chunked body as soon as it passes the limit. A body that is a
 * JSON array (a batch) may have a limit of its own, chosen by its first byte that is not white space.
 */
final class CappedBody {
    private CappedBody() {
    }

    /**
     * @param tooLarge the refusal for a body beyond the limit it is given
     * @throws RejectedRequest from {@code tooLarge}, or 400 when the body cannot be read to its end
     */
    static byte[] read(ServerRequest req, long limit, long arrayLimit, LongFunction<RejectedRequest> tooLarge) {
        long largest = Math.max(limit, arrayLimit);
        long declared = req.headers().contentLength().orElse(-1L);
        if (declared > largest) {
            throw tooLarge.apply(largest);
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        long applies = limit == arrayLimit ? limit : -1;
        byte[] chunk = new byte[8192];
        try (InputStream in = req.content().inputStream()) {
            for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
                if (applies < 0) {
                    int first = firstNonSpace(chunk, n);
                    applies = first < 0 ? -1 : first == '[' ? arrayLimit : limit;
                }
                if (body.size() + n > (applies < 0 ? largest : applies)) {
                    throw tooLarge.apply(applies < 0 ? largest : applies);
                }
                body.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw RejectedRequest.invalid("the body could not be read to its end");
        }
        return body.toByteArray();
    }

    private static int firstNonSpace(byte[] chunk, int length) {
        for (int i = 0; i < length; i++) {
            byte b = chunk[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b;
            }
        }
        return -1;
    }
}
