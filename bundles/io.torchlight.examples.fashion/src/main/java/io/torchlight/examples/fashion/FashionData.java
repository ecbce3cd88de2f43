package io.torchlight.examples.fashion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.torchlight.api.TorchlightException;

/**
 * Where the Fashion-MNIST files are: a configured folder, else Debian's {@code dataset-fashion-mnist}
 * location, else the 4,000 + 1,000 image sample shipped in this bundle (with a notice). Loads a split as
 * normalized float images [N, 1, 28, 28] and int64 labels [N].
 */
public final class FashionData {

    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    static final double MEAN = 0.2860;
    static final double STD = 0.3530;

    private final Path folder;

    private FashionData(Path folder) {
        this.folder = folder;
    }

    /** The value of {@code data_dir} that selects the shipped sample even where the full dataset exists. */
    public static final String SAMPLE = "sample";

    /** The data in {@code configured} (must hold all four files), or Debian's, or the shipped sample. */
    public static FashionData locate(Path configured) {
        if (configured != null && configured.toString().equals(SAMPLE)) {
            return new FashionData(null);
        }
        if (configured != null) {
            for (String file : FILES) {
                if (!Files.isRegularFile(configured.resolve(file))) {
                    throw new TorchlightException("Fashion-MNIST file " + configured.resolve(file) + " is missing: data_dir must "
                            + "hold " + String.join(", ", FILES));
                }
            }
            return new FashionData(configured);
        }
        if (FILES.stream().allMatch(f -> Files.isRegularFile(DEBIAN.resolve(f)))) {
            return new FashionData(DEBIAN);
        }
        System.out.println("fashion: using the sample of 4,000 training and 1,000 test images shipped in the bundle; "
                + "for the full dataset install Debian's dataset-fashion-mnist or set hparams.data_dir");
        return new FashionData(null);
    }

    /** Whether this is the shipped sample rather than the full dataset. */
    public boolean isSample() {
        return folder == null;
    }

    /** Where the files are read from, for display. */
    public String source() {
        return folder == null ? "the sample shipped in io.torchlight.examples.fashion" : folder.toString();
    }

    /** A split's images and labels, one label per image. */
    public record Split(Tensor images, Tensor labels) {
    }

    /** The training (train=true) or test split; image and label files that disagree on the count are an error naming both. */
    public Split split(boolean train) {
        Tensor images = images(train);
        Tensor labels = labels(train);
        if (images.size(0) != labels.size(0)) {
            throw new TorchlightException("Fashion-MNIST files " + describe(FILES.get(train ? 0 : 2)) + " and "
                    + describe(FILES.get(train ? 1 : 3)) + " disagree: " + images.size(0) + " images but " + labels.size(0)
                    + " labels (use the image and label files of one release)");
        }
        return new Split(images, labels);
    }

    /** Training (train=true) or test images, normalized as the Fashion-MNIST mean and std. */
    public Tensor images(boolean train) {
        String name = FILES.get(train ? 0 : 2);
        try (InputStream in = open(name)) {
            return IdxFiles.images(in, describe(name)).to(ScalarType.Float)
                    .div(new Scalar(255.0)).sub(new Scalar(MEAN)).div(new Scalar(STD));
        } catch (IOException e) {
            throw new UncheckedIOException(describe(name) + ": " + e.getMessage(), e);
        }
    }

    /** Training (train=true) or test labels. */
    public Tensor labels(boolean train) {
        String name = FILES.get(train ? 1 : 3);
        try (InputStream in = open(name)) {
            return IdxFiles.labels(in, describe(name));
        } catch (IOException e) {
            throw new UncheckedIOException(describe(name) + ": " + e.getMessage(), e);
        }
    }

    private InputStream open(String name) throws IOException {
        if (folder != null) {
            return Files.newInputStream(folder.resolve(name));
        }
        InputStream in = FashionData.class.getResourceAsStream("sample/" + name);
        if (in == null) {
            throw new TorchlightException("the Fashion-MNIST sample " + name + " is missing from the bundle");
        }
        return in;
    }

    private String describe(String name) {
        return folder == null ? "sample/" + name : folder.resolve(name).toString();
    }
}
