package io.switchboard.adapters.hooks;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.application.port.out.BackendHooks;
import io.switchboard.application.port.out.HookCall;
import io.switchboard.application.port.out.HookReply;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks the application's hooks over HTTP (SPEC 16): {@code POST} of the question as JSON, with the whole
 * exchange — connecting, the status, the answer's body — bounded by the hook's timeout and the body by
 * {@link #MAX_ANSWER_BYTES}. Anything but {@code 200} with the agreed JSON is a {@link HookReply.Failed}
 * whose reason names neither body nor header values.
 */
public final class HttpBackendHooks implements BackendHooks, AutoCloseable {
    /** The largest answer read; a longer one is a failure. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();

    /** Abandons calls still in flight (the hub has stopped: no one waits for their answers) and releases the client. */
    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }

    @Override
    public HookReply call(HookCall call) {
        HttpRequest request = HttpRequest.newBuilder(call.url())
                .timeout(call.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(question(call)))
                .build();
        AtomicReference<InputStream> body = new AtomicReference<>();
        CompletableFuture<Answer> answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(response -> read(response, body));
        try {
            return reply(answer.get(call.timeout().toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return timedOut(answer, body, call.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(true);
            return new HookReply.Failed("interrupted while waiting for the answer");
        } catch (ExecutionException e) {
            return failure(e.getCause(), call.timeout());
        }
    }

    /** The question: {@code {endpoint, path, params, headers, claims, userId, room?, command?, connectionId?}}. */
    static String question(HookCall call) {
        ObjectNode json = JSON.createObjectNode();
        json.put("endpoint", call.endpoint());
        if (call.path() != null) {
            json.put("path", call.path());
        }
        ObjectNode params = json.putObject("params");
        call.params().forEach(params::put);
        ObjectNode headers = json.putObject("headers");
        call.headers().forEach(headers::put);
        json.set("claims", JSON.valueToTree(call.claims()));
        json.put("userId", call.userId());
        if (call.room() != null) {
            json.put("room", call.room());
        }
        if (call.command() != null) {
            ObjectNode command = json.putObject("command");
            command.put("name", call.command().name());
            command.set("data", data(call.command().data()));
        }
        if (call.connectionId() != null) {
            json.put("connectionId", call.connectionId());
        }
        return json.toString();
    }

    private static JsonNode data(String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return JSON.getNodeFactory().textNode(text); // the hub checked it as JSON; never expected
        }
    }

    /** The status and at most one byte more than the bound of the body. */
    private record Answer(int status, byte[] body) {
    }

    private static Answer read(HttpResponse<InputStream> response, AtomicReference<InputStream> body) {
        try (InputStream in = response.body()) {
            body.set(in);
            return new Answer(response.statusCode(), in.readNBytes(MAX_ANSWER_BYTES + 1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HookReply timedOut(CompletableFuture<Answer> answer, AtomicReference<InputStream> body, Duration timeout) {
        answer.cancel(true);
        InputStream in = body.get();
        if (in != null) {
            try {
                in.close(); // ends a read of a body that stalls
            } catch (IOException e) {
                // Closing is all that is wanted.
            }
        }
        return new HookReply.Failed("no answer within " + timeout.toMillis() + " ms");
    }

    private static HookReply failure(Throwable cause, Duration timeout) {
        if (cause instanceof java.io.UncheckedIOException unchecked) {
            cause = unchecked.getCause();
        }
        if (cause instanceof HttpTimeoutException) {
            return new HookReply.Failed("no answer within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof ConnectException) {
            return new HookReply.Failed("could not connect");
        }
        return new HookReply.Failed("the exchange failed (" + cause.getClass().getSimpleName() + ")");
    }

    /** Reads the answer: {@code 200 {"allow": true, ...}} or {@code 200 {"allow": false, "code", "message"}}. */
    static HookReply reply(Answer answer) {
        if (answer.status() != 200) {
            return new HookReply.Failed("answered status " + answer.status());
        }
        if (answer.body().length > MAX_ANSWER_BYTES) {
            return new HookReply.Failed("the answer is longer than " + MAX_ANSWER_BYTES + " bytes");
        }
        JsonNode json;
        try {
            json = JSON.readTree(answer.body());
        } catch (IOException e) {
            return new HookReply.Failed("the answer is not JSON");
        }
        return json != null && json.isObject() ? AnswerFields.read(json) : new HookReply.Failed("the answer is not a JSON object");
    }
}
