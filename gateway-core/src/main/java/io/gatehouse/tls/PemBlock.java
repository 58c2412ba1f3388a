package io.gatehouse.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN type-----} block of a PEM file, decoded. {@code encrypted} is set by the OpenSSL legacy
 * header {@code Proc-Type: 4,ENCRYPTED} (an {@code ENCRYPTED PRIVATE KEY} block says so by its type).
 */
record PemBlock(String type, boolean encrypted, byte[] der) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);

    /**
     * The blocks of a PEM file, in order; text around them (such as OpenSSL's "Bag Attributes") is skipped.
     *
     * @throws IllegalArgumentException with a message naming the block that is not valid base64
     */
    static List<PemBlock> parse(byte[] file) {
        String text = new String(file, StandardCharsets.US_ASCII);
        List<PemBlock> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String type = matcher.group(1);
            StringBuilder base64 = new StringBuilder();
            boolean encrypted = false;
            for (String line : matcher.group(2).split("\\r?\\n")) {
                if (line.indexOf(':') >= 0) { // an RFC 1421 header line, e.g. Proc-Type or DEK-Info
                    encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
                } else {
                    base64.append(line.strip());
                }
            }
            try {
                blocks.add(new PemBlock(type, encrypted, Base64.getDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("its " + type + " block number " + (blocks.size() + 1)
                        + " is not valid base64");
            }
        }
        return blocks;
    }
}
