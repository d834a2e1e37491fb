package org.kaoping.ingestion;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

/**
 * Serialises a source partition and offset exactly as the engine's offset storage does
 * (schemaless JSON; key {@code [engineName, partition]}), so a checkpoint read back from the
 * warehouse is byte-for-byte what the connector would have stored itself.
 */
final class OffsetCodec {
  private final String engineName;
  private final JsonConverter keyConverter = new JsonConverter();
  private final JsonConverter valueConverter = new JsonConverter();

  OffsetCodec(String engineName) {
    this.engineName = engineName;
    keyConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), true);
    valueConverter.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
  }

  String keyJson(Map<String, ?> partition) {
    return new String(keyConverter.fromConnectData(engineName, null, List.of(engineName, partition)), StandardCharsets.UTF_8);
  }

  String valueJson(Map<String, ?> offset) {
    return new String(valueConverter.fromConnectData(engineName, null, offset), StandardCharsets.UTF_8);
  }

  static ByteBuffer bytes(String json) {
    return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
  }
}
