package dev.moat.vault.management;

import static dev.moat.vault.management.ArmJson.invalid;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Binds part of an ARM request body to a record with Jackson, and turns a value of the wrong JSON type into ARM's
 * 400 naming the property's path, the value and the rule. Unknown properties are ignored (ARM's output-only fields
 * come back in a PUT of a GET's output); a string is only a JSON string (no number or boolean read as text).
 */
final class ArmBody {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private ArmBody() {
    }

    /**
     * @param where the path of {@code node} in the request body, named in error messages
     * @param listElements per name of a list property, what its elements are (for the message when it is no list)
     */
    static <T> T bind(JsonNode node, String where, Class<T> type, Map<String, String> listElements) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonMappingException e) {
            throw invalid(message(node, where, e, listElements));
        } catch (JsonProcessingException e) {
            throw invalid("Invalid value for " + where + ": " + e.getOriginalMessage());
        }
    }

    private static String message(JsonNode node, String where, JsonMappingException e,
            Map<String, String> listElements) {
        StringBuilder path = new StringBuilder(where);
        JsonNode value = node;
        String name = where.substring(where.lastIndexOf('.') + 1);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
                value = value.path(ref.getFieldName());
                name = ref.getFieldName();
            } else {
                path.append('[').append(ref.getIndex()).append(']');
                value = value.path(ref.getIndex());
            }
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (target == String.class) {
            return "Invalid value '" + value + "' for " + path + ": a string is expected.";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "Invalid value '" + value.asText() + "' for " + path + ": true or false is expected.";
        }
        if (target != null && Collection.class.isAssignableFrom(target) && listElements.containsKey(name)) {
            return "Invalid value for " + path + ": a list of " + listElements.get(name) + " is expected.";
        }
        if (target != null && (target.isRecord() || Map.class.isAssignableFrom(target))) {
            return "Invalid value for " + path + ": a JSON object is expected.";
        }
        return "Invalid value for " + path + ": " + e.getOriginalMessage();
    }

    /**
     * A boolean as Azure clients send it: {@code true}/{@code false}, or that text in any case. Anything else,
     * a number included, is refused (Jackson would read 1 as true).
     */
    static final class LenientBoolean extends StdDeserializer<Boolean> {

        LenientBoolean() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_TRUE || p.currentToken() == JsonToken.VALUE_FALSE) {
                return p.getBooleanValue();
            }
            if (p.currentToken() == JsonToken.VALUE_STRING
                    && (p.getText().equalsIgnoreCase("true") || p.getText().equalsIgnoreCase("false"))) {
                return p.getText().equalsIgnoreCase("true");
            }
            if (p.currentToken().isStructStart()) {
                p.skipChildren();
            }
            throw MismatchedInputException.from(p, Boolean.class, "true or false is expected");
        }
    }
}
