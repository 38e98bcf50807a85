namespace CxrPacsAgent.Inference.Packages;

/// <summary>
/// The package the service and every verb use when none is named: the adult one, because adults are the product's
/// patients. The pediatric package stays shipped beside it (<see cref="ShippedModels"/>).
/// </summary>
public static class DefaultModel
{
    public const string Name = ShippedModels.Adult;

    public static string Folder { get; } = ShippedModels.Folder(Name);
}
