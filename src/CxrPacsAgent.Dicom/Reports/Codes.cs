namespace CxrPacsAgent.Dicom.Reports;

/// <summary>
/// The coded concepts the templates here use, as PS3.16 defines them (Annex D for DCM, the CIDs named for the others).
/// Meanings are the standard's, so viewers show what other systems show.
/// </summary>
public static class Codes
{
    // TID 1500 Measurement Report, TID 1501, CID 7021 document titles.
    public static readonly CodedConcept ImagingMeasurementReport = new("126000", "DCM", "Imaging Measurement Report");
    public static readonly CodedConcept ImagingMeasurements = new("126010", "DCM", "Imaging Measurements");
    public static readonly CodedConcept QualitativeEvaluations = new("C0034375", "UMLS", "Qualitative Evaluations");
    public static readonly CodedConcept MeasurementGroup = new("125007", "DCM", "Measurement Group");
    public static readonly CodedConcept TrackingIdentifier = new("112039", "DCM", "Tracking Identifier");
    public static readonly CodedConcept TrackingUniqueIdentifier = new("112040", "DCM", "Tracking Unique Identifier");
    public static readonly CodedConcept Finding = new("121071", "DCM", "Finding");
    public static readonly CodedConcept FindingCategory = new("276214006", "SCT", "Finding category");
    public static readonly CodedConcept Source = new("260753009", "SCT", "Source");
    public static readonly CodedConcept ProcedureReported = new("121058", "DCM", "Procedure reported");

    // TID 1204 Language of Content Item and Descendants, CID 5000.
    public static readonly CodedConcept LanguageOfContentItemAndDescendants = new("121049", "DCM", "Language of Content Item and Descendants");
    public static readonly CodedConcept EnglishUnitedStates = new("en-US", "RFC5646", "English (United States)");

    // TID 1001/1002/1004 observation context, CID 270 Observer Type.
    public static readonly CodedConcept ObserverType = new("121005", "DCM", "Observer Type");
    public static readonly CodedConcept Device = new("121007", "DCM", "Device");
    public static readonly CodedConcept DeviceObserverUid = new("121012", "DCM", "Device Observer UID");
    public static readonly CodedConcept DeviceObserverName = new("121013", "DCM", "Device Observer Name");
    public static readonly CodedConcept DeviceObserverManufacturer = new("121014", "DCM", "Device Observer Manufacturer");
    public static readonly CodedConcept DeviceObserverModelName = new("121015", "DCM", "Device Observer Model Name");
    public static readonly CodedConcept DeviceObserverSerialNumber = new("121016", "DCM", "Device Observer Serial Number");

    // TID 4019 Algorithm Identification.
    public static readonly CodedConcept AlgorithmName = new("111001", "DCM", "Algorithm Name");
    public static readonly CodedConcept AlgorithmVersion = new("111003", "DCM", "Algorithm Version");
    public static readonly CodedConcept AlgorithmParameters = new("111002", "DCM", "Algorithm Parameters");

    // CID 240/241 Present-Absent.
    public static readonly CodedConcept Present = new("52101004", "SCT", "Present");
    public static readonly CodedConcept Absent = new("272519000", "SCT", "Absent");
    public static readonly CodedConcept Undetermined = new("373068000", "SCT", "Undetermined");

    // CAD concepts (CID 6048 CAD Operating Point Axis Label; TID 4100-4104, 4015-4020; CIDs 6034, 6042, 6047).
    public static readonly CodedConcept CertaintyOfFinding = new("111012", "DCM", "Certainty of Finding");
    public static readonly CodedConcept ThresholdValue = new("122411", "DCM", "Threshold Value");
    public static readonly CodedConcept ChestCadReport = new("112000", "DCM", "Chest CAD Report");
    public static readonly CodedConcept ImageLibrary = new("111028", "DCM", "Image Library");
    public static readonly CodedConcept CadProcessingAndFindingsSummary = new("111017", "DCM", "CAD Processing and Findings Summary");
    public static readonly CodedConcept AllSucceededWithFindings = new("111242", "DCM", "All algorithms succeeded; with findings");
    public static readonly CodedConcept AllSucceededWithoutFindings = new("111241", "DCM", "All algorithms succeeded; without findings");
    public static readonly CodedConcept NoneSucceededWithoutFindings = new("111245", "DCM", "No algorithms succeeded; without findings");
    public static readonly CodedConcept SingleImageFinding = new("111059", "DCM", "Single Image Finding");
    public static readonly CodedConcept RenderingIntent = new("111056", "DCM", "Rendering Intent");
    public static readonly CodedConcept PresentationRequired = new("111150", "DCM", "Presentation Required: Rendering device is expected to present");
    public static readonly CodedConcept SummaryOfDetections = new("111064", "DCM", "Summary of Detections");
    public static readonly CodedConcept SummaryOfAnalyses = new("111065", "DCM", "Summary of Analyses");
    public static readonly CodedConcept SuccessfulDetections = new("111063", "DCM", "Successful Detections");
    public static readonly CodedConcept DetectionPerformed = new("111022", "DCM", "Detection Performed");
    public static readonly CodedConcept FailedDetections = new("111025", "DCM", "Failed Detections");
    public static readonly CodedConcept Succeeded = new("111222", "DCM", "Succeeded");
    public static readonly CodedConcept Failed = new("111224", "DCM", "Failed");
    public static readonly CodedConcept NotAttempted = new("111225", "DCM", "Not Attempted");
    public static readonly CodedConcept StudyDate = new("111060", "DCM", "Study Date");

    // CID 7005 Contributing Equipment Purposes of Reference; CID 7202/7203 image derivation.
    public static readonly CodedConcept ProcessingEquipment = new("109102", "DCM", "Processing Equipment");
    public static readonly CodedConcept SourceImageForImageProcessing = new("121322", "DCM", "Source image for image processing operation");

    // CID 7181 units (UCUM).
    public static readonly CodedConcept NoUnits = new("1", "UCUM", "no units");
    public static readonly CodedConcept Percent = new("%", "UCUM", "Percent");
}
