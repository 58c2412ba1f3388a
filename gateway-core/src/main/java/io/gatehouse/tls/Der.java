package io.gatehouse.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Just enough DER to wrap the legacy PKCS#1 and SEC1 keys into PKCS#8 (which the JDK's {@code KeyFactory} reads) and
 * to read the algorithm of a PKCS#8 key: tag-length-value writing and a cursor over one level of elements.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0] EXPLICIT}, the parameters of a SEC1 EC key. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            value.writeBytes(part);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    /** A cursor over the elements of {@code der} (one level); see {@link Element#contents()} to go down. */
    static Reader reader(byte[] der) {
        return new Reader(der, 0, der.length);
    }

    /** One element: its tag, and where its value lies in the whole input. */
    record Element(byte[] input, int tag, int start, int valueStart, int end) {
        /** The whole element, tag and length included (an OID to compare with a constant). */
        byte[] encoded() {
            return Arrays.copyOfRange(input, start, end);
        }

        Reader contents() {
            return new Reader(input, valueStart, end);
        }
    }

    static final class Reader {
        private final byte[] input;
        private final int end;
        private int position;

        private Reader(byte[] input, int from, int end) {
            this.input = input;
            this.position = from;
            this.end = end;
        }

        boolean hasNext() {
            return position < end;
        }

        /** @throws IllegalArgumentException on a truncated or malformed element */
        Element next() {
            int start = position;
            if (end - position < 2) {
                throw new IllegalArgumentException("truncated DER");
            }
            int tag = input[position++] & 0xFF;
            int length = input[position++] & 0xFF;
            if (length >= 0x80) {
                int bytes = length & 0x7F;
                if (bytes == 0 || bytes > 3 || end - position < bytes) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (input[position++] & 0xFF);
                }
            }
            if (length > end - position) {
                throw new IllegalArgumentException("truncated DER");
            }
            int valueStart = position;
            position += length;
            return new Element(input, tag, start, valueStart, position);
        }

        /** The next element, which must have {@code tag}. */
        Element next(int tag) {
            Element element = next();
            if (element.tag() != tag) {
                throw new IllegalArgumentException("unexpected DER tag");
            }
            return element;
        }
    }
}
