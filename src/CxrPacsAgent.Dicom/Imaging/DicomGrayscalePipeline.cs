using System.Buffers;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;

namespace CxrPacsAgent.Dicom.Imaging;

/// <summary>
/// The grayscale standard display pipeline of PS3.3 C.11 for one frame: Modality LUT (C.11.1) → VOI LUT (C.11.2) →
/// Presentation LUT Shape (C.11.6) and MONOCHROME1 inversion, giving displayed brightness in [0, 1] (1 = white).
/// </summary>
public static class DicomGrayscalePipeline
{
    /// <summary>
    /// Displayed brightness of each pixel. <paramref name="voiIndex"/> selects among several Window Center/Width values or
    /// VOI LUT Sequence items. Without any VOI, the frame's full range of modality values is spread over [0, 1].
    /// </summary>
    public static float[] Render(DicomDataset dataset, DicomTransferSyntax syntax, int frame = 0, int voiIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var description = Grayscale(dataset);
        // The stored values are a scratch buffer (20 MB for a chest radiograph): pooled, not allocated per image.
        var rented = ArrayPool<int>.Shared.Rent(description.SampleCount);
        try
        {
            var stored = rented.AsSpan(0, DicomPixelData.GetFrameSamples(dataset, syntax, frame, rented));
            return Render(dataset, description, stored, voiIndex);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private static float[] Render(DicomDataset dataset, PixelDescription description, ReadOnlySpan<int> stored, int voiIndex)
    {
        var modality = ModalityFunction(dataset, description);
        var invert = Inverts(dataset);
        var output = new float[stored.Length];
        if (description.BitsStored <= 16)
        {
            // Every stored value has one displayed value: build the table once, then one lookup per pixel.
            int lo = description.MinStoredValue, hi = description.MaxStoredValue;
            var table = new double[hi - lo + 1];
            for (var v = lo; v <= hi; v++)
            {
                table[v - lo] = modality(v);
            }
            double min = double.MaxValue, max = double.MinValue;
            foreach (var s in stored)
            {
                var m = table[s - lo];
                min = Math.Min(min, m);
                max = Math.Max(max, m);
            }
            var voi = ChooseVoi(dataset, min, max, voiIndex);
            var display = new float[table.Length];
            for (var i = 0; i < table.Length; i++)
            {
                var y = (float)voi(table[i]);
                display[i] = invert ? 1 - y : y;
            }
            for (var i = 0; i < stored.Length; i++)
            {
                output[i] = display[stored[i] - lo];
            }
            return output;
        }
        var values = new double[stored.Length];
        for (var i = 0; i < stored.Length; i++)
        {
            values[i] = modality(stored[i]);
        }
        var wide = ChooseVoi(dataset, values.Length > 0 ? values.Min() : 0, values.Length > 0 ? values.Max() : 0, voiIndex);
        for (var i = 0; i < values.Length; i++)
        {
            var y = (float)wide(values[i]);
            output[i] = invert ? 1 - y : y;
        }
        return output;
    }

    /// <summary>The frame's modality values (C.11.1): stored values through the Modality LUT Sequence or rescale.</summary>
    public static double[] ModalityValues(DicomDataset dataset, DicomTransferSyntax syntax, int frame = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var description = Grayscale(dataset);
        var rented = ArrayPool<int>.Shared.Rent(description.SampleCount);
        try
        {
            var stored = rented.AsSpan(0, DicomPixelData.GetFrameSamples(dataset, syntax, frame, rented));
            var modality = ModalityFunction(dataset, description);
            var values = new double[stored.Length];
            for (var i = 0; i < stored.Length; i++)
            {
                values[i] = modality(stored[i]);
            }
            return values;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    private static PixelDescription Grayscale(DicomDataset dataset)
    {
        var description = PixelDescription.FromDataset(dataset);
        if (description.SamplesPerPixel != 1 || !description.IsMonochrome)
        {
            throw new DicomPixelDataException(
                $"the grayscale pipeline needs MONOCHROME1 or MONOCHROME2; Photometric Interpretation is {description.PhotometricInterpretation}");
        }
        return description;
    }

    // The Modality LUT Sequence (first item) when present, else Rescale Slope and Intercept (C.11.1).
    private static Func<int, double> ModalityFunction(DicomDataset dataset, PixelDescription description)
    {
        if (dataset.GetSequence(DicomTags.ModalityLUTSequence) is { Items.Count: > 0 } sequence)
        {
            var lut = LookupTable.FromItem(sequence.Items[0], description.IsSigned, "the Modality LUT Sequence");
            return v => lut[v];
        }
        var slope = Number(dataset, DicomTags.RescaleSlope, 0, 1);
        var intercept = Number(dataset, DicomTags.RescaleIntercept, 0, 0);
        return v => (v * slope) + intercept;
    }

    // PS3.3 C.8.11.6.1.2 pairs MONOCHROME1 with INVERSE: both describe one inversion, so it is applied once.
    private static bool Inverts(DicomDataset dataset)
    {
        var photometric = dataset.GetString(DicomTags.PhotometricInterpretation)?.Trim();
        var shape = dataset.GetString(DicomTags.PresentationLUTShape)?.Trim();
        return photometric == "MONOCHROME1" || shape == "INVERSE";
    }

    // min and max are the frame's modality value range, for the VOI LUT's input sign and the no-VOI default.
    private static Func<double, double> ChooseVoi(DicomDataset dataset, double min, double max, int voiIndex)
    {
        var centers = dataset.Contains(DicomTags.WindowCenter) ? dataset.GetStrings(DicomTags.WindowCenter) : [];
        if (centers.Length > 0)
        {
            var index = Math.Min(voiIndex, centers.Length - 1);
            var center = Number(dataset, DicomTags.WindowCenter, index, double.NaN);
            var width = Number(dataset, DicomTags.WindowWidth, Math.Min(index, Math.Max(0, dataset.GetStrings(DicomTags.WindowWidth).Length - 1)), double.NaN);
            var function = (dataset.GetString(DicomTags.VOILUTFunction)?.Trim()) switch
            {
                "LINEAR_EXACT" => VoiLutFunction.LinearExact,
                "SIGMOID" => VoiLutFunction.Sigmoid,
                null or "" or "LINEAR" => VoiLutFunction.Linear,
                var other => throw new DicomPixelDataException($"VOI LUT Function (0028,1056) {other} is not LINEAR, LINEAR_EXACT or SIGMOID"),
            };
            var minimum = function == VoiLutFunction.Linear ? 1 : 0;
            if (double.IsNaN(center) || double.IsNaN(width) || width < minimum || (width == 0 && function != VoiLutFunction.Linear))
            {
                throw new DicomPixelDataException($"Window Width (0028,1051) {width} is not valid for {function} (C.11.2.1.2)");
            }
            if (width > minimum || function != VoiLutFunction.Linear)
            {
                return new VoiWindow(center, width, function).Apply;
            }
            // LINEAR with width 1 is a threshold at the centre.
            return x => x <= center - 0.5 ? 0 : 1;
        }
        if (dataset.GetSequence(DicomTags.VOILUTSequence) is { Items.Count: > 0 } sequence)
        {
            var item = sequence.Items[Math.Min(voiIndex, sequence.Items.Count - 1)];
            var lut = LookupTable.FromItem(item, min < 0, "the VOI LUT Sequence");
            double top = lut.MaxOutput;
            return x => lut[x] / top;
        }
        // No VOI: the full range of this frame's modality values.
        return max > min ? x => (x - min) / (max - min) : _ => 0;
    }

    private static double Number(DicomDataset dataset, DicomTag tag, int index, double fallback)
    {
        if (!dataset.Contains(tag))
        {
            return fallback;
        }
        try
        {
            return dataset.GetStrings(tag).Length > index ? dataset.GetDouble(tag, index) : fallback;
        }
        catch (FormatException e)
        {
            throw new DicomPixelDataException($"{tag} value {index} is not a number: {e.Message}", e);
        }
    }
}
