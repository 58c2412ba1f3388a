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

class UsersServiceTest {

    private static SampleServer server;
    private static ServiceClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SampleServer.start(ServiceKind.USERS, "users-1", 0);
        client = new ServiceClient(server);
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void startsOnAnEphemeralPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.name()).isEqualTo("users-1");
        assertThat(server.kind()).isEqualTo(ServiceKind.USERS);
    }

    @Test
    void listsTheSeededUsers() {
        HttpResponse<String> response = client.get("/users");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode users = json(response);
        assertThat(users.isArray()).isTrue();
        assertThat(users.size()).isGreaterThanOrEqualTo(2);
        JsonNode ada = json(client.get("/users/1"));
        assertThat(ada.path("id").asLong()).isEqualTo(1);
        assertThat(ada.path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(ada.path("email").asText()).isEqualTo("ada@example.com");
    }

    @Test
    void fullCrudRoundTrip() {
        HttpResponse<String> created = client.post("/users", "{\"name\":\"Barbara Liskov\",\"email\":\"barbara@example.com\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json(created).path("id").asLong();
        assertThat(id).isGreaterThan(3);
        assertThat(created.headers().firstValue("Location")).hasValue("/users/" + id);
        assertThat(json(created).path("name").asText()).isEqualTo("Barbara Liskov");

        HttpResponse<String> fetched = client.get("/users/" + id);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(json(fetched)).isEqualTo(json(created));
        assertThat(json(client.get("/users")).findValues("id")).extracting(JsonNode::asLong).contains(id);

        HttpResponse<String> replaced = client.put("/users/" + id, "{\"name\":\"B. Liskov\",\"email\":\"bl@example.org\"}");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(json(replaced).path("id").asLong()).isEqualTo(id);
        assertThat(json(client.get("/users/" + id)).path("email").asText()).isEqualTo("bl@example.org");
        assertThat(json(client.get("/users/" + id)).path("name").asText()).isEqualTo("B. Liskov");

        HttpResponse<String> deleted = client.delete("/users/" + id);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(deleted.headers().firstValue("Content-Type")).isEmpty();
        assertThat(deleted.headers().firstValue("X-Served-By")).hasValue("users-1");

        assertThat(client.get("/users/" + id).statusCode()).isEqualTo(404);
        assertThat(client.delete("/users/" + id).statusCode()).isEqualTo(404);
        assertThat(client.put("/users/" + id, "{\"name\":\"X\",\"email\":\"x@y\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownUserIs404() {
        HttpResponse<String> response = client.get("/users/999999");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(errorCode(response)).isEqualTo("not_found");
        assertThat(json(response).path("message").asText()).isEqualTo("user 999999 not found");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"email\":\"a@b\"}                        | name: is required",
        "{\"name\":\"   \",\"email\":\"a@b\"}        | name: must not be blank",
        "{\"name\":42,\"email\":\"a@b\"}             | name: must be a string",
        "{\"name\":\"Ada\"}                          | email: is required",
        "{\"name\":\"Ada\",\"email\":\"ada.example\"} | email: must contain @",
        "[]                                          | body: must be a JSON object",
        "\"text\"                                    | body: must be a JSON object",
    })
    void rejectsInvalidUsers(String body, String message) {
        for (HttpResponse<String> response : List.of(client.post("/users", body), client.put("/users/1", body))) {
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(errorCode(response)).isEqualTo("validation_failed");
            assertThat(json(response).path("message").asText()).isEqualTo(message);
        }
    }

    @Test
    void nameLengthLimitIs100Characters() {
        String ok = "a".repeat(100);
        String tooLong = "a".repeat(101);

        assertThat(client.post("/users", "{\"name\":\"" + ok + "\",\"email\":\"a@b\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> rejected = client.post("/users", "{\"name\":\"" + tooLong + "\",\"email\":\"a@b\"}");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(json(rejected).path("message").asText()).isEqualTo("name: must be at most 100 characters");
    }

    @Test
    void failedCreateStoresNothing() {
        int before = json(client.get("/users")).size();

        client.post("/users", "{\"name\":\"Nobody\",\"email\":\"nowhere\"}");

        assertThat(json(client.get("/users")).size()).isEqualTo(before);
    }
}
