using CxrPacsAgent.Dicom.Data;

namespace CxrPacsAgent.Dicom.Network.Dimse;

/// <summary>A DIMSE message (PS3.7 6.2): its command set, and whether a data set follows it.</summary>
public abstract class DimseMessage
{
    public abstract CommandField CommandField { get; }

    /// <summary>Whether the Command Data Set Type says a data set follows.</summary>
    public abstract bool HasDataset { get; }

    /// <summary>The command set as elements, ready for <see cref="CommandSet.Encode"/>.</summary>
    public DicomDataset ToCommand()
    {
        var command = new DicomDataset();
        CommandSet.SetUInt16(command, DicomTags.CommandField, (ushort)CommandField);
        CommandSet.SetUInt16(command, DicomTags.CommandDataSetType, HasDataset ? CommandSet.DataSetPresent : CommandSet.NoDataSet);
        Fill(command);
        return command;
    }

    protected abstract void Fill(DicomDataset command);

    /// <summary>Reads the command field and data set type of any received command.</summary>
    public static (CommandField Field, bool HasDataset) ReadHeader(DicomDataset command)
    {
        var field = (CommandField)(CommandSet.GetUInt16(command, DicomTags.CommandField) ?? 0);
        var type = CommandSet.GetUInt16(command, DicomTags.CommandDataSetType) ?? CommandSet.NoDataSet;
        return (field, type != CommandSet.NoDataSet);
    }
}
