package io.imlma.ml.model;

import io.imlma.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Models to and from bytes (UTF-8 JSON). Doubles are written in shortest round-trip form, so a loaded model predicts exactly as the saved one. */
public final class ModelCodec {
    private ModelCodec() {}

    public static byte[] toBytes(Model model) {
        try {
            return Json.MAPPER.writerFor(Model.class).writeValueAsBytes(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Model fromBytes(byte[] bytes) {
        try {
            return Json.MAPPER.readValue(bytes, Model.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a model file: " + e.getMessage(), e);
        }
    }
}
