using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.IO;
using CxrPacsAgent.Dicom.Reports;
using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Reports;

/// <summary>The content tree model, writer and reader: every value type round-trips, other writers' trees read, bad trees are named.</summary>
public sealed class ContentTreeTests
{
    private static readonly CodedConcept Name = new("N", "99TEST", "Name");

    /// <summary>One item of every value type the writer knows, nested, with every relationship type.</summary>
    private static ContainerItem EveryValueType() => new(new CodedConcept("R", "99TEST", "Root"), Continuous: true, TemplateIdentifier: "1500")
    {
        Children =
        [
            new TextItem(Name, "text with\nnew line, ünïcödé") { Relationship = RelationshipType.HasConceptModifier },
            new CodeItem(Name, new CodedConcept("a-very-long-code-value-over-16", "99TEST", "Long")) { Relationship = RelationshipType.HasObservationContext },
            new NumItem(Name, -12.5e-3, Codes.NoUnits) { Relationship = RelationshipType.HasAcquisitionContext },
            new ContainerItem(Name)
            {
                Children =
                [
                    new UidRefItem(Name, "1.2.3"),
                    new DateTimeItem(Name, "20260304050607.000000+0100") { Relationship = RelationshipType.HasProperties },
                    new PersonNameItem(Name, "Doe^John") { Relationship = RelationshipType.InferredFrom },
                    new ImageItem(null, new SopReference(DicomUids.DigitalXRayImageStorageForPresentation, "1.2.4")) { Relationship = RelationshipType.SelectedFrom },
                    new CompositeItem(Name, new SopReference(DicomUids.ComprehensiveSRStorage, "1.2.5")),
                    new ReferenceItem([1, 4, 1]) { Relationship = RelationshipType.InferredFrom },
                ],
            },
        ],
    };

    [Fact]
    public void Every_value_type_reads_back_as_written()
    {
        var written = EveryValueType();
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        ContentTreeWriter.Write(ds, written);
        var encoded = new MemoryStream();
        DicomFile.Create(ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.ComprehensiveSRStorage).AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.6"),
            DicomTransferSyntax.ExplicitVRLittleEndian).WriteTo(encoded);
        var read = ContentTreeReader.Read(DicomFile.Read(encoded.ToArray()).Dataset);
        Assert.Equal(ContentTreeText.Format(written), ContentTreeText.Format(read));
        Assert.Equal(written.Descendants().Select(i => (i.GetType(), i.Relationship, i.ConceptName)),
            read.Descendants().Select(i => (i.GetType(), i.Relationship, i.ConceptName)));
        Assert.Equal("text with\nnew line, ünïcödé", read.Descendants().OfType<TextItem>().Single().Text);
        Assert.Equal("a-very-long-code-value-over-16", read.Descendants().OfType<CodeItem>().Single().Code.Value);
        Assert.Equal(-0.0125, read.Descendants().OfType<NumItem>().Single().Value);
        Assert.Equal("1500", read.TemplateIdentifier);
    }

    [Fact]
    public void Text_is_encoded_in_the_documents_character_set()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        ContentTreeWriter.Write(ds, new ContainerItem(Name) { Children = [new TextItem(Name, "Müller")] });
        var item = ds.GetSequence(DicomTags.ContentSequence)!.Items[0];
        Assert.True(item.TryGetElement(DicomTags.TextValue, out var text));
        Assert.Equal([0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72], text.Buffer.Memory.ToArray());
    }

    /// <summary>Other writers' SRs (dicom-samples): as many items as DCMTK's dsrdump shows, SCOORD and others kept uninterpreted.</summary>
    [Theory]
    [InlineData("highdicom_sr_document_TID1500.dcm")]
    [InlineData("highdicom_sr_document_with_multiple_groups_TID1500.dcm")]
    [InlineData("pydicom_reportsi_BasicTextSR.dcm")]
    [InlineData("pydicom_test-SR_ComprehensiveSR.dcm")]
    public void Other_writers_trees_read_with_as_many_items_as_dsrdump_shows(string file)
    {
        var path = Path.Combine(RepositoryPaths.DicomSamples, "structured_reports", file);
        var tree = ContentTreeReader.Read(DicomFile.Open(path).Dataset);
        var dump = ExternalProcess.Run("dsrdump", ["-Ph", "-Er", "-Ee", path]);
        Assert.Equal(0, dump.ExitCode);
        var dcmtkItems = dump.Stdout.Split('\n').Count(l => l.TrimStart().StartsWith('<'));
        Assert.Equal(dcmtkItems, tree.Descendants().Count());
    }

    [Fact]
    public void Malformed_trees_are_refused_naming_the_item_and_the_problem()
    {
        Assert.Equal(SrContentError.RootNotContainer, Refused(new DicomDataset().AddOrUpdate(DicomTags.PatientName, "x")).Error);

        var noRelationship = Document();
        Child(noRelationship).Remove(DicomTags.RelationshipType);
        var e = Refused(noRelationship);
        Assert.Equal((SrContentError.BadRelationship, "1.1"), (e.Error, e.Position));

        var noValue = Document();
        Child(noValue).Remove(DicomTags.TextValue);
        Assert.Equal((SrContentError.MissingValue, "1.1"), (Refused(noValue).Error, Refused(noValue).Position));

        var noName = Document();
        Child(noName).Remove(DicomTags.ConceptNameCodeSequence);
        Assert.Equal(SrContentError.MissingConceptName, Refused(noName).Error);

        var badNumber = new DicomDataset();
        ContentTreeWriter.Write(badNumber, new ContainerItem(Name) { Children = [new NumItem(Name, 1, Codes.NoUnits)] });
        Child(badNumber).GetSequence(DicomTags.MeasuredValueSequence)!.Items[0].AddOrUpdate(DicomTags.NumericValue, DicomVR.DS, "1e");
        Assert.Equal(SrContentError.InvalidValue, Refused(badNumber).Error);

        var badReference = Document();
        var reference = Child(badReference);
        reference.Remove(DicomTags.ValueType);
        reference.AddOrUpdate(DicomTags.ReferencedContentItemIdentifier, 2u, 1u);
        Assert.Equal(SrContentError.InvalidValue, Refused(badReference).Error);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        ContentItem item = new TextItem(Name, "leaf");
        for (var i = 0; i < ContentTreeReader.MaxDepth + 1; i++)
        {
            item = new ContainerItem(Name) { Children = [item] };
        }
        var ds = new DicomDataset();
        ContentTreeWriter.Write(ds, new ContainerItem(Name) { Children = [item] });
        Assert.Equal(SrContentError.TooDeep, Refused(ds).Error);
    }

    [Fact]
    public void Uninterpreted_items_cannot_be_written()
    {
        var root = new ContainerItem(Name) { Children = [new UninterpretedItem(Name, "SCOORD")] };
        Assert.Throws<ArgumentException>(() => ContentTreeWriter.Write(new DicomDataset(), root));
    }

    private static DicomDataset Document()
    {
        var ds = new DicomDataset();
        ContentTreeWriter.Write(ds, new ContainerItem(Name) { Children = [new TextItem(Name, "x")] });
        return ds;
    }

    private static DicomDataset Child(DicomDataset ds) => ds.GetSequence(DicomTags.ContentSequence)!.Items[0];

    private static SrContentException Refused(DicomDataset ds) => Assert.Throws<SrContentException>(() => ContentTreeReader.Read(ds));
}
