package io.imlma.ml.horizon;

import io.imlma.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Multi-horizon models to and from UTF-8 JSON; doubles in shortest round-trip form, so a loaded model forecasts exactly as the saved one. */
public final class HorizonModelCodec {
    private HorizonModelCodec() {}

    public static byte[] toBytes(HorizonModel model) {
        try {
            return Json.MAPPER.writerFor(HorizonModel.class).writeValueAsBytes(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HorizonModel fromBytes(byte[] bytes) {
        try {
            return Json.MAPPER.readValue(bytes, HorizonModel.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a multi-horizon model file: " + e.getMessage(), e);
        }
    }
}
