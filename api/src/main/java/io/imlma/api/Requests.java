package io.imlma.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.imlma.common.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reading request bodies, path and query parameters, with 400 answers that say which field is wrong and why. */
final class Requests {
    /**
     * Jackson's FastDoubleParser, correctly rounded as the JDK's: a /predict body is 96 doubles of up to 17 digits,
     * and the JDK's parser took the largest share of the request's CPU time in PredictBenchmark's profile.
     */
    private static final ObjectReader READER = Json.MAPPER.reader().with(StreamReadFeature.USE_FAST_DOUBLE_PARSER);

    private Requests() {}

    /** The body as a JSON object; an empty body is an error. */
    static JsonNode object(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (isBlank(body)) {
            throw new ApiException(400, "the request needs a JSON object body");
        }
        return parseObject(body);
    }

    /** The body as a JSON object; an empty body counts as {@code {}}. */
    static JsonNode optionalObject(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        return isBlank(body) ? Json.MAPPER.createObjectNode() : parseObject(body);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parseObject(byte[] body) {
        JsonNode node;
        try {
            // from the bytes (Jackson's UTF-8 parser, no decoded String in between)
            node = READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed JSON body: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            // not JSON's encoding (e.g. malformed UTF-32): reading a byte array does no other I/O
            throw new ApiException(400, "malformed JSON body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(400, "the request body must be a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        return node;
    }

    static String text(JsonNode object, String field) {
        String value = optionalText(object, field, null);
        if (value == null) {
            throw new ApiException(400, "field '" + field + "' is required");
        }
        return value;
    }

    static String optionalText(JsonNode object, String field, String fallback) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new ApiException(400, "field '" + field + "' must be a non-empty string");
        }
        return node.asText().trim();
    }

    static Integer optionalInt(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new ApiException(400, "field '" + field + "' must be an integer, got " + node);
        }
        return node.intValue();
    }

    /** A time given as an ISO-8601 instant ({@code 2016-07-01T00:00:00Z}) or as epoch milliseconds. */
    static Instant optionalInstant(JsonNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (node.isTextual()) {
            return parseInstant(field, node.asText());
        }
        throw new ApiException(400, "field '" + field
                + "' must be an ISO-8601 time such as 2016-07-01T00:00:00Z or epoch milliseconds, got " + node);
    }

    static Instant instant(JsonNode object, String field) {
        Instant value = optionalInstant(object, field);
        if (value == null) {
            throw new ApiException(400, "field '" + field + "' is required");
        }
        return value;
    }

    static Instant queryInstant(Context ctx, String name, Instant fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        if (raw.chars().allMatch(Character::isDigit)) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(raw));
            } catch (NumberFormatException e) {
                throw new ApiException(400, "query parameter '" + name + "' is out of range: " + raw);
            }
        }
        return parseInstant(name, raw);
    }

    private static Instant parseInstant(String name, String raw) {
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "'" + name
                    + "' must be an ISO-8601 time such as 2016-07-01T00:00:00Z or epoch milliseconds, got '" + raw
                    + "'");
        }
    }

    static int pathInt(Context ctx, String name) {
        return parseInt("path parameter '" + name + "'", ctx.pathParam(name));
    }

    static Integer queryInt(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw == null || raw.isBlank() ? null : parseInt("query parameter '" + name + "'", raw);
    }

    static int requiredQueryInt(Context ctx, String name) {
        Integer value = queryInt(ctx, name);
        if (value == null) {
            throw new ApiException(400, "query parameter '" + name + "' is required");
        }
        return value;
    }

    private static int parseInt(String what, String raw) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, what + " must be an integer, got '" + raw + "'");
        }
    }
}
