package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.net.URI;
import java.security.Key;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a {@link GatewayConfig} as JSON, as the admin API shows it: every value in force (defaults included),
 * keys in snake_case as in the YAML, and every secret replaced by {@value #REDACTED}.
 *
 * <p>Redaction is by kind, so that a secret added to the config later is hidden without anyone remembering to:
 * every byte array (an HMAC secret, an API key's digest), every cryptographic key, every property named like a
 * secret ({@link #SECRET_NAMES}), and the user information and query of every URI (a Redis password, a token in
 * a JWKS URL).
 */
public final class ConfigJson {
    /** What a secret is shown as. */
    public static final String REDACTED = "[redacted]";
    private static final Set<String> SECRET_NAMES = Set.of("token", "secret", "password", "credentials", "sha256",
            "private_key");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            // Only the record components: never a derived accessor such as BackendConfig.address().
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .registerModule(new SimpleModule("gatehouse-config")
                    .addSerializer(Duration.class, new DurationSerializer())
                    .addSerializer(URI.class, new UriSerializer())
                    .addSerializer(Cidr.class, ToStringSerializer.instance)
                    .addSerializer(Enum.class, new EnumSerializer())
                    .setMixInAnnotation(DiscoveryConfig.class, DiscoveryNesting.class)
                    .setSerializerModifier(new Redaction()));

    private ConfigJson() {}

    /** The effective configuration, every secret redacted. */
    public static JsonNode render(GatewayConfig config) {
        Objects.requireNonNull(config, "config");
        return MAPPER.valueToTree(config);
    }

    /** Replaces the value of every secret property, whatever its type, by {@value #REDACTED}. */
    private static final class Redaction extends BeanSerializerModifier {
        @Override
        public List<BeanPropertyWriter> changeProperties(SerializationConfig config, BeanDescription bean,
                                                         List<BeanPropertyWriter> properties) {
            for (BeanPropertyWriter property : properties) {
                Class<?> type = property.getType().getRawClass();
                if (type == byte[].class || Key.class.isAssignableFrom(type)
                        || SECRET_NAMES.contains(property.getName())) {
                    property.assignSerializer(new RedactedSerializer());
                }
            }
            return properties;
        }
    }

    private static final class RedactedSerializer extends JsonSerializer<Object> {
        @Override
        public void serialize(Object value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(REDACTED);
        }
    }

    /** As the YAML writes it: {@code 250ms}, {@code 30s}. */
    private static final class DurationSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(Durations.format(value));
        }
    }

    private static final class UriSerializer extends JsonSerializer<URI> {
        @Override
        public void serialize(URI value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(withoutCredentials(value));
        }
    }

    /** Without user information ({@code redis://:password@host}) and query ({@code ?access_token=}). */
    private static String withoutCredentials(URI uri) {
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            return REDACTED; // not a URL the config accepts, so nothing is known to be safe to show
        }
        StringBuilder text = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            text.append(REDACTED).append('@');
        }
        text.append(uri.getHost());
        if (uri.getPort() >= 0) {
            text.append(':').append(uri.getPort());
        }
        text.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            text.append('?').append(REDACTED);
        }
        return text.toString();
    }

    /** The YAML spelling: {@code round_robin}, {@code connect_failure}. */
    @SuppressWarnings("rawtypes")
    private static final class EnumSerializer extends JsonSerializer<Enum> {
        @Override
        public void serialize(Enum value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(value.name().toLowerCase(Locale.ROOT));
        }
    }

    /** As the YAML nests it: {@code {"etcd": {...}}} or {@code {"dns": {...}}}. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
    @JsonSubTypes({@JsonSubTypes.Type(value = DiscoveryConfig.Etcd.class, name = "etcd"),
            @JsonSubTypes.Type(value = DiscoveryConfig.Dns.class, name = "dns")})
    private interface DiscoveryNesting {}
}
