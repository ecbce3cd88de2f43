package io.torchlight.logger.tensorboard.events;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, as TensorBoard event files use it: {@code uint64 length}, {@code uint32 masked
 * crc32c(length)}, the data, {@code uint32 masked crc32c(data)}, all little-endian.
 */
public final class TfRecords {

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {
    }

    /** CRC32C (Castagnoli) of the bytes. */
    public static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** TFRecord's masked CRC: rotate right by 15 bits, add a constant. */
    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    /** The inverse of {@link #mask}. */
    public static int unmask(int masked) {
        int rot = masked - MASK_DELTA;
        return (rot >>> 17) | (rot << 15);
    }

    /** Writes one record. */
    public static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(mask(crc32c(header.array(), 0, 8)));
        out.write(header.array());
        out.write(data);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(mask(crc32c(data, 0, data.length))).array());
    }

    /** Reads every record, verifying both CRCs of each; an error names the record and what is wrong. */
    public static List<byte[]> readAll(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        List<byte[]> records = new ArrayList<>();
        while (true) {
            byte[] header = new byte[12];
            try {
                data.readFully(header);
            } catch (EOFException end) {
                return records;
            }
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            long length = h.getLong();
            if (mask(crc32c(header, 0, 8)) != h.getInt()) {
                throw new IOException("record " + records.size() + ": length CRC mismatch");
            }
            if (length < 0 || length > 64L << 20) {
                throw new IOException("record " + records.size() + ": implausible length " + length);
            }
            byte[] body = new byte[(int) length];
            data.readFully(body);
            byte[] footer = new byte[4];
            data.readFully(footer);
            if (mask(crc32c(body, 0, body.length)) != ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt()) {
                throw new IOException("record " + records.size() + ": data CRC mismatch");
            }
            records.add(body);
        }
    }
}
