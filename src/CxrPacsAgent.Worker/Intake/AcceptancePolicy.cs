using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Worker.Hosting;

namespace CxrPacsAgent.Worker.Intake;

/// <summary>
/// What the listener negotiates, built from <c>Dicom:*</c>. By default it fits routers that forward whole studies:
/// every storage SOP class, standard or private, in every registered transfer syntax (chosen by
/// <see cref="TransferSyntaxChoice"/>); what is kept is decided after receipt. With <c>Dicom:RefuseUnwanted</c> only the
/// chest radiography classes are negotiated.
/// </summary>
public static class AcceptancePolicy
{
    public static AcceptorPolicy For(DicomOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AcceptorPolicy
        {
            AeTitle = options.AeTitle,
            CheckCalledAeTitle = options.CheckCalledAeTitle,
            AllowedCallingAes = options.AllowedCallingAeTitles.Count == 0
                ? null
                : [.. options.AllowedCallingAeTitles.Select(e => CallingAe.TryParse(e, out var entry) ? entry! : throw new ArgumentException($"'{e}' is not AE or AE@host", nameof(options)))],
            AcceptedSopClasses = options.RefuseUnwanted ? ChestRadiography.SopClasses : [],
            AcceptAnyStorageSopClass = !options.RefuseUnwanted,
            AcceptPrivateSopClasses = !options.RefuseUnwanted,
            TransferSyntaxSelector = TransferSyntaxChoice.Choose,
        };
    }
}
