package io.gatehouse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of docker/Dockerfile's final stage (the gateway image), continuation lines joined and
 * comments dropped, and the names of its stages ({@code FROM image AS name}).
 */
record Dockerfile(List<String> stageNames, List<String> instructions) {
    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    static Dockerfile read() {
        String joined = DeployFiles.text("docker/Dockerfile").replaceAll("(?m)^\\s*#.*\\n", "").replace("\\\n", " ");
        List<String> stageNames = new ArrayList<>();
        List<String> stage = new ArrayList<>();
        for (String line : joined.split("\n")) {
            String instruction = line.strip().replaceAll("\\s+", " ");
            if (instruction.startsWith("FROM ")) {
                String[] words = instruction.split(" ");
                if (words.length == 4) {
                    stageNames.add(words[3]);
                }
                stage = new ArrayList<>();
            }
            if (!instruction.isEmpty()) {
                stage.add(instruction);
            }
        }
        return new Dockerfile(stageNames, stage);
    }

    /** The arguments of the one instruction {@code keyword} of the final stage. */
    String argument(String keyword) {
        List<String> found = instructions.stream().filter(i -> i.startsWith(keyword + " "))
                .map(i -> i.substring(keyword.length() + 1)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in the final stage, found " + found);
        }
        return found.get(0);
    }

    String user() {
        return argument("USER");
    }

    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher pair = ENV_PAIR.matcher(argument("ENV"));
        while (pair.find()) {
            env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
        }
        return env;
    }

    /** {@code COPY} source and destination pairs of the final stage (without {@code --from} ones). */
    List<List<String>> copies() {
        return instructions.stream().filter(i -> i.startsWith("COPY ") && !i.contains("--from"))
                .map(i -> Arrays.asList(i.substring(5).split(" "))).toList();
    }

    /** The exec-form command of the HEALTHCHECK. */
    List<String> healthcheckCommand() {
        String healthcheck = argument("HEALTHCHECK");
        int cmd = healthcheck.indexOf("CMD [");
        if (cmd < 0) {
            throw new AssertionError("HEALTHCHECK is not in exec form: " + healthcheck);
        }
        try {
            return Arrays.asList(new ObjectMapper().readValue(healthcheck.substring(cmd + 4), String[].class));
        } catch (JsonProcessingException e) {
            throw new AssertionError("HEALTHCHECK CMD is not a JSON array: " + healthcheck, e);
        }
    }
}
