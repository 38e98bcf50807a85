using CxrPacsAgent.Imaging;
using CxrPacsAgent.Retrieval;
using CxrPacsAgent.Worker.Retrieval;
using CxrPacsAgent.Worker.Tests.Cli;

namespace CxrPacsAgent.Worker.Tests.Retrieval;

public sealed class GreyPngTests
{
    [Fact]
    public void A_large_image_is_area_averaged_to_the_long_side_and_stored_as_8_bit_greyscale_PNG_that_Pillow_reads_back()
    {
        var random = new Random(3);
        var image = new GrayImage(1024, 600);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (float)random.NextDouble();
        }
        var encoded = GreyPng.Encode(image, 512);
        Assert.Equal("image/png", encoded.MediaType);
        using var folder = new TempFile(encoded.Data);
        var raw = new float[1024 * 600];
        image.Pixels.CopyTo(raw, 0);
        // The judge: Pillow reads mode and size, numpy averages 2×2 blocks of the original (an exact factor of 2).
        var original = Path.ChangeExtension(folder.Path, ".f32");
        File.WriteAllBytes(original, CxrPacsAgent.Retrieval.Storage.EmbeddingCodec.Encode(raw));
        var (code, stdout, stderr) = CliRunner.Start("/usr/bin/python3", "-c", """
            import sys, numpy
            from PIL import Image
            im = Image.open(sys.argv[1])
            a = numpy.asarray(im).astype(numpy.float64)
            src = numpy.fromfile(sys.argv[2], dtype='<f4').reshape(600, 1024)
            ref = numpy.round(src.reshape(300, 2, 512, 2).mean(axis=(1, 3)) * 255)
            print(im.mode, im.size[0], im.size[1], int(numpy.abs(a - ref).max()))
            """, folder.Path, original);
        File.Delete(original);
        Assert.True(code == 0, stderr);
        Assert.Equal("L 512 300 0", stdout.Trim());
        var decoded = GreyPng.Decode(encoded);
        Assert.Equal((512, 300), (decoded.Width, decoded.Height));
        var expected = (image[0, 0] + image[1, 0] + image[0, 1] + image[1, 1]) / 4;
        Assert.Equal(MathF.Round(expected * 255) / 255, decoded[0, 0], 5);
    }

    [Fact]
    public void A_small_image_is_kept_at_its_size_and_round_trips_exactly_at_8_bits()
    {
        var image = new GrayImage(224, 200);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (i % 256) / 255f;
        }
        var decoded = GreyPng.Decode(GreyPng.Encode(image, 512));
        Assert.Equal((224, 200), (decoded.Width, decoded.Height));
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Bytes_that_are_no_image_give_an_image_error()
    {
        var e = Assert.Throws<ImageException>(() => GreyPng.Decode(new EncodedImage([1, 2, 3, 4], "image/png")));
        Assert.Equal(ImageError.Unreadable, e.Error);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(byte[] content)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cxr-greypng-{Guid.NewGuid():N}.png");
            File.WriteAllBytes(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
