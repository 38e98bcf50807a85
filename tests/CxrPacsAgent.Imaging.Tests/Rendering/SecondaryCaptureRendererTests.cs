using CxrPacsAgent.Imaging.Preprocessing;
using CxrPacsAgent.Imaging.Rendering;
using CxrPacsAgent.Imaging.Tests.TestSupport;

namespace CxrPacsAgent.Imaging.Tests.Rendering;

/// <summary>The Secondary Capture picture: size, banner, text actually drawn (the shipped font loads), thumbnails.</summary>
public sealed class SecondaryCaptureRendererTests
{
    [Fact]
    public void Shipped_font_has_glyphs()
    {
        Assert.True(Fonts.Regular.GlyphCount > 1000);
        Assert.True(Fonts.Bold.GlyphCount > 1000);
    }

    [Fact]
    public void Renders_banner_panel_and_radiograph()
    {
        var picture = Render();
        Assert.Equal(1024 + 56, picture.Height);
        Assert.True(picture.Width > 1024);

        // Banner: red with white text in it.
        var (red, white) = (0, 0);
        for (var y = 0; y < 56; y++)
        {
            for (var x = 0; x < picture.Width; x++)
            {
                var (r, g, b) = Pixel(picture, x, y);
                red += r > 150 && g < 60 ? 1 : 0;
                white += r > 230 && g > 230 && b > 230 ? 1 : 0;
            }
        }
        Assert.True(red > picture.Width * 30, $"red {red}");
        Assert.True(white > 2000, $"banner text pixels {white}: text not drawn?");

        // Panel text: bright pixels in the top of the right-hand panel, which is otherwise near-black.
        var panelText = 0;
        for (var y = 60; y < 300; y++)
        {
            for (var x = picture.Width - 390; x < picture.Width; x++)
            {
                panelText += Pixel(picture, x, y).R > 150 ? 1 : 0;
            }
        }
        Assert.True(panelText > 1500, $"panel text pixels {panelText}");

        // Lung outline (green) on the radiograph.
        var green = 0;
        for (var i = 0; i < picture.Width * picture.Height; i++)
        {
            green += picture.Pixels[(3 * i) + 1] == 230 && picture.Pixels[3 * i] == 60 ? 1 : 0;
        }
        Assert.True(green > 500, $"outline pixels {green}");
    }

    [Fact]
    public void Rendering_is_deterministic() => Assert.Equal(Render().Pixels, Render().Pixels);

    private static RgbImage Render()
    {
        var stages = new CxrPreprocessor().Run(ImageFile.LoadGray(TestData.Path("adult-cxr-samples", "adult-cxr-08.png")));
        var content = stages.Geometry.Content;
        var lungs = stages.LungMap.Crop(content); // the map over the cropped film
        var heat = Blob(64, 64, 0.7, 0.55, 0.18); // a smooth saliency blob low in the left lung
        var thumbs = new[] { "adult-cxr-03", "adult-cxr-06", "adult-cxr-10" }
            .Select((n, i) => new CaseThumbnail(ImageFile.LoadGray(TestData.Path("adult-cxr-samples", n + ".png")), 0.93 - (0.04 * i),
                i == 1 ? "NORMAL" : "PNEUMONIA"))
            .ToList();
        var card = new ResultCard(0.83, "PNEUMONIA", 0.5, "cxr-pneumonia-resnet18", "1.1.0", thumbs, heat)
        {
            Positive = true,
            Notes = ["k-NN second opinion: 2 of 3 similar cases PNEUMONIA", "Lossy compressed source: fine detail may be lost"],
        };
        var picture = SecondaryCaptureRenderer.Render(stages.Standardized, lungs, card);
        if (Environment.GetEnvironmentVariable("CXR_TEST_DUMP") is { } dump)
        {
            Directory.CreateDirectory(dump);
            ImageFile.SavePng(picture, Path.Combine(dump, "secondary-capture.png"));
        }
        return picture;
    }

    private static GrayImage Blob(int w, int h, double cx, double cy, double sigma)
    {
        var map = new GrayImage(w, h);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var (dx, dy) = (((double)x / w) - cx, ((double)y / h) - cy);
                map[x, y] = (float)Math.Exp(-((dx * dx) + (dy * dy)) / (2 * sigma * sigma));
            }
        }
        return map;
    }

    private static (byte R, byte G, byte B) Pixel(RgbImage image, int x, int y)
    {
        var i = 3 * ((y * image.Width) + x);
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }
}
