package io.torchlight.bench;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/**
 * The benchmark's models as LightningModules (the MLP 784-128-10 and the Fashion CNN), each with the
 * hand-written libtorch loop it is compared with: the same forward, loss, zero_grad/backward/step, each step's
 * temporaries freed with a scope as the Trainer does.
 */
final class Models {

    private Models() {
    }

    /** A module over in-memory data; {@code logged} adds Lightning's usual {@code log("train_loss", loss, prog_bar=True)}. */
    abstract static class Benched extends LightningModule {
        final Tensor x;
        final Tensor y;
        final int batch;
        final boolean logged;
        /** Shuffled batches each epoch (the Trainer's DataLoader, and a permutation in the raw loop). */
        boolean shuffle;
        /** Waits for the device's queued work before an epoch's time is read (CUDA runs asynchronously). */
        Runnable sync = () -> {
        };

        Benched(Tensor x, Tensor y, int batch, boolean logged) {
            this.x = x;
            this.y = y;
            this.batch = batch;
            this.logged = logged;
        }

        @Override
        public Object trainingStep(Batch b, int batchIdx) {
            Tensor loss = torch.cross_entropy(forward(b.input()), b.target());
            if (logged) {
                log("train_loss", loss, LogOptions.defaults().progBar(true));
            }
            return loss;
        }

        @Override
        public Object configureOptimizers() {
            return new Adam(parameters(), new AdamOptions(1e-3));
        }

        @Override
        public DataLoader trainDataloader() {
            return DataLoader.of(new TensorDataset(x, y)).batchSize(batch).shuffle(shuffle).build();
        }

        /** Where the hand-written loop is: its next batch in the epoch, and this epoch's order when shuffled. */
        private int rawBatch;
        private Tensor rawOrder;

        /**
         * The next {@code steps} steps of the hand-written loop over the same data, going on from where the last call
         * stopped and starting a new epoch (and permutation) after {@code batches} batches; returns the time in ns.
         */
        long rawSteps(Adam optimizer, int steps, int batches) {
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                if (rawBatch == 0 && shuffle) {
                    if (rawOrder != null) {
                        rawOrder.close();
                    }
                    rawOrder = torch.randperm(x.size(0));
                    rawOrder.retainReference();
                }
                try (PointerScope scope = new PointerScope()) {
                    long from = (long) rawBatch * batch;
                    Tensor index = rawOrder == null ? null : rawOrder.narrow(0, from, batch);
                    Tensor input = index == null ? x.narrow(0, from, batch) : x.index_select(0, index);
                    Tensor target = index == null ? y.narrow(0, from, batch) : y.index_select(0, index);
                    optimizer.zero_grad();
                    Tensor loss = torch.cross_entropy(forward(input), target);
                    loss.backward();
                    optimizer.step();
                }
                rawBatch = (rawBatch + 1) % batches;
            }
            sync.run();
            return System.nanoTime() - start;
        }
    }

    /** MLP 784-128-10. */
    static final class Mlp extends Benched {
        final LinearImpl hidden = registerModule("hidden", new LinearImpl(784, 128));
        final LinearImpl out = registerModule("out", new LinearImpl(128, 10));

        Mlp(Tensor x, Tensor y, int batch, boolean logged) {
            super(x, y, batch, logged);
        }

        @Override
        public Tensor forward(Tensor input) {
            return out.forward(torch.relu(hidden.forward(input)));
        }
    }

    /** The fashion-cnn example's network: two 3x3 convolutions with pooling, a 128-unit hidden layer. */
    static final class Cnn extends Benched {
        final Conv2dImpl conv1 = registerModule("conv1", new Conv2dImpl(1, 32, new LongPointer(3L, 3L)));
        final Conv2dImpl conv2 = registerModule("conv2", new Conv2dImpl(32, 64, new LongPointer(3L, 3L)));
        final MaxPool2dImpl pool = registerModule("pool", new MaxPool2dImpl(new LongPointer(2L, 2L)));
        final LinearImpl hidden = registerModule("hidden", new LinearImpl(64 * 5 * 5, 128));
        final LinearImpl out = registerModule("out", new LinearImpl(128, 10));

        Cnn(Tensor x, Tensor y, int batch, boolean logged) {
            super(x, y, batch, logged);
        }

        @Override
        public Tensor forward(Tensor images) {
            Tensor h = pool.forward(torch.relu(conv1.forward(images)));
            h = pool.forward(torch.relu(conv2.forward(h)));
            return out.forward(torch.relu(hidden.forward(h.flatten(1, -1))));
        }
    }
}
