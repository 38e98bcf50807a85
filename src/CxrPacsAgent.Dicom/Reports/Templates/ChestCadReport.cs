namespace CxrPacsAgent.Dicom.Reports.Templates;

/// <summary>
/// TID 4100 Chest CAD Document Root for one detection algorithm run on one image: language (TID 1204), the CAD
/// Processing and Findings Summary (TID 4101) with a Single Image Finding (TID 4104) when the algorithm found
/// something, the Summary of Detections (TID 4015, 4017 with TID 4019) and Summary of Analyses (not attempted).
/// The Image Library is optional in the Chest CAD SR; it is left out, so TID 4017 references the image by value.
/// The finding applies to the whole image: no spatial coordinates are given. An algorithm that ran but could not decide
/// (e.g. the image was outside what it was made for) is reported as a failed detection, not as "without findings".
/// </summary>
public sealed record ChestCadReport
{
    public CodedConcept Language { get; init; } = Codes.EnglishUnitedStates;

    /// <summary>The image the algorithm ran on.</summary>
    public required SopReference Image { get; init; }

    /// <summary>What the algorithm detects: the Detection Performed value and, when found, the Single Image Finding value.</summary>
    public required CodedConcept Finding { get; init; }

    /// <summary>Whether the finding was detected; false: "All algorithms succeeded; without findings"; null: the detection failed.</summary>
    public required bool? Detected { get; init; }

    /// <summary>Certainty of Finding (111012, DCM) in [0,1], written in percent as CAD reports do; optional.</summary>
    public double? Certainty { get; init; }

    public required AlgorithmIdentification Algorithm { get; init; }

    public ContainerItem ToContent()
    {
        List<ContentItem> findings = [];
        if (Detected == true)
        {
            List<ContentItem> properties =
            [
                new CodeItem(Codes.RenderingIntent, Codes.PresentationRequired) { Relationship = RelationshipType.HasConceptModifier },
            ];
            if (Certainty is { } certainty)
            {
                if (certainty is < 0 or > 1 || double.IsNaN(certainty))
                {
                    throw new ArgumentOutOfRangeException(nameof(Certainty), certainty, "a certainty is in [0,1]");
                }
                properties.Add(new NumItem(Codes.CertaintyOfFinding, Math.Round(certainty * 100, 2), Codes.Percent)
                {
                    Relationship = RelationshipType.HasProperties,
                });
            }
            findings.Add(new CodeItem(Codes.SingleImageFinding, Finding) { Relationship = RelationshipType.InferredFrom, Children = properties });
        }
        var summary = new CodeItem(Codes.CadProcessingAndFindingsSummary, Detected switch
        {
            true => Codes.AllSucceededWithFindings,
            false => Codes.AllSucceededWithoutFindings,
            null => Codes.NoneSucceededWithoutFindings,
        }) { Children = findings };

        var detection = new CodeItem(Codes.DetectionPerformed, Finding)
        {
            Relationship = RelationshipType.Contains,
            Children =
            [
                .. Algorithm.ToContent(RelationshipType.HasConceptModifier),
                new ImageItem(null, Image) { Relationship = RelationshipType.InferredFrom },
            ],
        };
        var succeeded = Detected is not null;
        var detections = new CodeItem(Codes.SummaryOfDetections, succeeded ? Codes.Succeeded : Codes.Failed)
        {
            Children =
            [
                new ContainerItem(succeeded ? Codes.SuccessfulDetections : Codes.FailedDetections)
                {
                    Relationship = RelationshipType.InferredFrom,
                    Children = [detection],
                },
            ],
        };
        var analyses = new CodeItem(Codes.SummaryOfAnalyses, Codes.NotAttempted);
        return new ContainerItem(Codes.ChestCadReport, TemplateIdentifier: "4100")
        {
            Children =
            [
                new CodeItem(Codes.LanguageOfContentItemAndDescendants, Language) { Relationship = RelationshipType.HasConceptModifier },
                summary,
                detections,
                analyses,
            ],
        };
    }
}
