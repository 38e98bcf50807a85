"""model.json's `finding` entry: the coded finding the DICOM SR results name (see docs/results.md)."""
import json
import os
import unittest

from cxr_train import package

SHIPPED = os.path.join(os.path.dirname(__file__), "..", "..", "models", "cxr-pneumonia-resnet18", "model.json")


class FindingTests(unittest.TestCase):
    def test_manifest_defaults_to_pneumonia_and_takes_another_finding(self):
        m = package.manifest("m", "1", "t", [{"file": "model.onnx"}], preprocessing={"version": 1})
        self.assertEqual(m["finding"], {"code_value": "233604007", "coding_scheme_designator": "SCT",
                                        "code_meaning": "Pneumonia"})
        covid = package.manifest("m", "1", "t", [], preprocessing={"version": 1}, finding=package.COVID19_FINDING)
        self.assertEqual(covid["finding"]["code_value"], "840544004")

    def test_shipped_package_names_its_finding(self):
        with open(SHIPPED) as f:
            self.assertEqual(json.load(f)["finding"], package.PNEUMONIA_FINDING)


if __name__ == "__main__":
    unittest.main()
