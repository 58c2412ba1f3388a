package io.gatehouse.samples;

import static io.gatehouse.samples.ServiceClient.errorCode;
import static io.gatehouse.samples.ServiceClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryServiceTest {

    private static final String VALID = "{\"sku\":\"SKU-900\",\"name\":\"Sprocket\",\"quantity\":5,\"price\":2.5}";

    private static SampleServer server;
    private static ServiceClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SampleServer.start(ServiceKind.INVENTORY, 0);
        client = new ServiceClient(server);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void defaultNameIsTheSubcommand() {
        assertThat(server.name()).isEqualTo("inventory");
        assertThat(client.get("/inventory").headers().firstValue("X-Served-By")).hasValue("inventory");
    }

    @Test
    void seedsThreeProducts() {
        JsonNode widget = json(client.get("/inventory/1"));

        assertThat(widget).isEqualTo(parse("{\"id\":1,\"sku\":\"SKU-001\",\"name\":\"Widget\",\"quantity\":10,\"price\":9.99}"));
        assertThat(client.get("/inventory/2").statusCode()).isEqualTo(200);
        assertThat(client.get("/inventory/3").statusCode()).isEqualTo(200);
        assertThat(json(client.get("/inventory")).isArray()).isTrue();
    }

    @Test
    void fullCrudRoundTrip() {
        HttpResponse<String> created = client.post("/inventory", VALID);
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json(created).path("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/inventory/" + id);
        assertThat(json(created).path("sku").asText()).isEqualTo("SKU-900");
        assertThat(json(created).path("quantity").asLong()).isEqualTo(5);
        assertThat(json(created).path("price").asDouble()).isEqualTo(2.5);

        assertThat(json(client.get("/inventory/" + id))).isEqualTo(json(created));
        assertThat(json(client.get("/inventory")).findValues("sku")).extracting(JsonNode::asText).contains("SKU-900");

        HttpResponse<String> replaced = client.put("/inventory/" + id,
                "{\"sku\":\"SKU-901\",\"name\":\"Big sprocket\",\"quantity\":0,\"price\":0}");
        assertThat(replaced.statusCode()).isEqualTo(200);
        JsonNode after = json(client.get("/inventory/" + id));
        assertThat(after.path("id").asLong()).isEqualTo(id);
        assertThat(after.path("sku").asText()).isEqualTo("SKU-901");
        assertThat(after.path("quantity").asLong()).isZero();

        assertThat(client.delete("/inventory/" + id).statusCode()).isEqualTo(204);
        HttpResponse<String> gone = client.get("/inventory/" + id);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(errorCode(gone)).isEqualTo("not_found");
        assertThat(json(gone).path("message").asText()).isEqualTo("product " + id + " not found");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"name\":\"N\",\"quantity\":1,\"price\":1}                 | sku: is required",
        "{\"sku\":\"\",\"name\":\"N\",\"quantity\":1,\"price\":1}     | sku: must not be blank",
        "{\"sku\":\"S\",\"name\":\" \",\"quantity\":1,\"price\":1}    | name: must not be blank",
        "{\"sku\":\"S\",\"name\":\"N\",\"price\":1}                  | quantity: is required",
        "{\"sku\":\"S\",\"name\":\"N\",\"quantity\":-1,\"price\":1}   | quantity: must be >= 0",
        "{\"sku\":\"S\",\"name\":\"N\",\"quantity\":1.5,\"price\":1}  | quantity: must be an integer",
        "{\"sku\":\"S\",\"name\":\"N\",\"quantity\":\"3\",\"price\":1} | quantity: must be an integer",
        "{\"sku\":\"S\",\"name\":\"N\",\"quantity\":1}               | price: is required",
        "{\"sku\":\"S\",\"name\":\"N\",\"quantity\":1,\"price\":-0.01} | price: must be >= 0",
        "{\"sku\":\"S\",\"name\":\"N\",\"quantity\":1,\"price\":\"1\"} | price: must be a number",
        "{\"sku\":\"S\",\"name\":\"N\",\"quantity\":1,\"price\":1e999} | price: must be a finite number",
    })
    void rejectsInvalidProducts(String body, String message) {
        for (HttpResponse<String> response : List.of(client.post("/inventory", body), client.put("/inventory/1", body))) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo("validation_failed");
            assertThat(json(response).path("message").asText()).isEqualTo(message);
        }
        assertThat(json(client.get("/inventory/1")).path("sku").asText()).isEqualTo("SKU-001");
    }

    private static JsonNode parse(String text) {
        try {
            return ServiceClient.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
