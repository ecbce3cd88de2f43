package io.torchlight.utils.checkpoint;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** Copies between a contiguous CPU tensor's memory and a byte array (little-endian, as PyTorch stores it). */
final class TensorBytes {

    private TensorBytes() {
    }

    static byte[] read(Tensor contiguousCpu) {
        long n = contiguousCpu.nbytes();
        byte[] bytes = new byte[Math.toIntExact(n)];
        if (n > 0) {
            new BytePointer(contiguousCpu.data_ptr()).capacity(n).get(bytes);
        }
        return bytes;
    }

    /** A new 1-D tensor of {@code numel} elements of {@code type} holding these bytes. */
    static Tensor tensor(byte[] bytes, DType type, long numel) {
        Tensor t = torch.zeros(new long[] {numel}, new TensorOptions(type.scalarType));
        if (bytes.length > 0) {
            new BytePointer(t.data_ptr()).capacity(bytes.length).put(bytes);
        }
        return t;
    }
}
