"""Unit tests of the toolkit's pieces (run by CxrPacsAgent.Inference.Tests through `python3 -m unittest`)."""
import random
import unittest

import numpy as np
import torch

from cxr_train import augment, losses, package, splits
from cxr_train.heads import Head, Scored


class AugmentTests(unittest.TestCase):
    def test_same_seed_same_augmentation_and_shape_kept(self):
        x = torch.rand(3, 32, 32)
        x[2] = 0
        a = augment.augment(x, random.Random(5))
        b = augment.augment(x, random.Random(5))
        self.assertTrue(torch.equal(a, b))
        self.assertEqual(a.shape, x.shape)
        self.assertGreaterEqual(float(a[0].min()), 0.0)
        self.assertLessEqual(float(a[0].max()), 1.0)

    def test_probabilities_are_the_papers(self):
        p = {k: v["p"] for k, v in package.PAPER_AUGMENTATION.items()}
        self.assertEqual(p["brighten"], 0.4)
        self.assertEqual(p["gamma_contrast"], 0.3)
        self.assertEqual(p["clahe"], 0.4)
        self.assertEqual(p["rotate"], 0.4)
        self.assertEqual(p["shear"], 0.4)
        self.assertEqual(p["scale"], 0.4)
        self.assertEqual(p["flip_left_right"], 0.5)
        self.assertEqual(package.PAPER_AUGMENTATION["rotate"]["degrees"], 7)
        self.assertEqual(package.PAPER_AUGMENTATION["scale"]["max_per_axis"], 0.2)

    def test_flip_only_config_mirrors_every_channel(self):
        cfg = {k: dict(v, p=0.0) for k, v in package.PAPER_AUGMENTATION.items()}
        cfg["flip_left_right"]["p"] = 1.0
        x = torch.rand(3, 8, 8)
        self.assertTrue(torch.equal(augment.augment(x, random.Random(0), cfg), torch.flip(x, dims=[2])))

    def test_normalisation_round_trip(self):
        x = torch.rand(3, 4, 4)
        n = package.RESNET_BGR_MEAN
        self.assertTrue(torch.allclose(augment.denormalize(augment.normalize(x, n), n), x, atol=1e-5))

    def test_clahe_stays_in_range_and_spreads_a_narrow_histogram(self):
        img = (0.4 + 0.1 * np.random.default_rng(0).random((64, 64))).astype(np.float32)
        out = augment.clahe(img)
        self.assertGreaterEqual(out.min(), 0.0)
        self.assertLessEqual(out.max(), 1.0)
        self.assertGreater(out.std(), img.std())


class SplitTests(unittest.TestCase):
    def test_patients_never_straddle_splits(self):
        rows = [{"patient_id": f"p{i // 3}", "path": f"{i}.png"} for i in range(300)]
        train, val = splits.patient_split(rows, val_fraction=0.2)
        self.assertEqual(len(train) + len(val), 300)
        self.assertFalse({rows[i]["patient_id"] for i in train} & {rows[i]["patient_id"] for i in val})
        self.assertTrue(20 < len(val) < 120)

    def test_existing_split_column_is_used(self):
        rows = [{"split": "train"}, {"split": "val"}, {"split": "train"}]
        self.assertEqual(splits.patient_split(rows), ([0, 2], [1]))


class LossTests(unittest.TestCase):
    def test_l2_is_lambda_times_sum_of_squared_weights(self):
        net = torch.nn.Linear(2, 1)
        with torch.no_grad():
            net.weight.copy_(torch.tensor([[3.0, 4.0]]))
        self.assertAlmostEqual(float(losses.l2_penalty(net, 1e-2)), 0.25, places=6)  # biases are not penalised


class HeadTests(unittest.TestCase):
    def test_score_is_softmax_of_positive_class_and_embedding_is_last_hidden(self):
        torch.manual_seed(0)
        head = Head(16, hidden=8, embedding=4).eval()
        x = torch.rand(3, 16)
        score, emb = Scored(head)(x)
        logits, emb2 = head(x)
        self.assertTrue(torch.allclose(score, torch.softmax(logits, 1)[:, 1]))
        self.assertEqual(tuple(emb.shape), (3, 4))
        self.assertTrue(torch.equal(emb, emb2))


if __name__ == "__main__":
    unittest.main()


class DataTests(unittest.TestCase):
    def test_labels_join_by_sop_instance_uid(self):
        import csv
        import os
        import tempfile
        from cxr_train import data
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "labels.csv")
            with open(path, "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["sop_instance_uid", "label", "patient_id"])
                w.writerow(["1.2.3", "PNEUMONIA", "p1"])
                w.writerow(["1.2.4", "NORMAL", "p2"])
            rows = [{"row": "0", "sop_instance_uid": "1.2.4", "label": ""},
                    {"row": "1", "sop_instance_uid": "9.9", "label": ""},
                    {"row": "2", "sop_instance_uid": "1.2.3", "label": ""}]
            joined = data.join_labels(rows, path, key="sop_instance_uid")
            self.assertEqual([(r["row"], r["label"], r["patient_id"]) for r in joined],
                             [("0", "NORMAL", "p2"), ("2", "PNEUMONIA", "p1")])


class BackboneTests(unittest.TestCase):
    def test_every_recipe_backbone_builds_without_downloading_and_gives_its_feature_width(self):
        from cxr_train.backbones import FEATURES, Classifier
        torch.manual_seed(0)
        for name in ("resnet18", "resnet34", "resnet50", "vgg16"):
            net = Classifier(name).eval()
            with torch.no_grad():
                logits, emb = net(torch.rand(1, 3, 32, 32))
            self.assertEqual(tuple(logits.shape), (1, 2), name)
            self.assertEqual(net.head.fc1.in_features, FEATURES[name], name)
        self.assertEqual(Classifier("resnet152").head.fc1.in_features, 2048)


class ExportTests(unittest.TestCase):
    def test_onnx_has_opset_17_and_the_package_outputs(self):
        import os
        import tempfile
        import onnx
        from cxr_train.export import export_onnx
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.onnx")
            export_onnx(Head(8, hidden=4, embedding=3), torch.zeros(1, 8), path, input_name="features")
            m = onnx.load(path)
            onnx.checker.check_model(m)
            self.assertEqual([o.version for o in m.opset_import if o.domain in ("", "ai.onnx")], [17])
            self.assertEqual([o.name for o in m.graph.output], ["score", "embedding"])
            self.assertEqual(m.graph.input[0].type.tensor_type.shape.dim[0].dim_param, "N")


class PackageTests(unittest.TestCase):
    def test_manifest_lists_each_files_sha256_and_the_template_preprocessing(self):
        import hashlib
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "model.onnx"), "wb") as f:
                f.write(b"not really a graph")
            m = package.manifest("t", "0.1.0", "test", [{"file": "model.onnx"}], preprocessing={"version": 1})
            package.write_manifest(d, m)
            written = package.read_manifest(d)
        self.assertEqual(written["schema_version"], 2)
        self.assertEqual(written["preprocessing"], {"version": 1})
        self.assertEqual(written["graphs"][0]["sha256"], hashlib.sha256(b"not really a graph").hexdigest())

    def test_a_template_without_a_preprocessing_version_is_refused(self):
        with self.assertRaises(ValueError):
            package.manifest("t", "0.1.0", "test", [{"file": "model.onnx"}], preprocessing=None)


class LungSegTests(unittest.TestCase):
    @staticmethod
    def _net():
        from torchvision.models.resnet import BasicBlock, ResNet
        from cxr_train.lungseg import LungUNet
        torch.manual_seed(0)
        return LungUNet(ResNet(BasicBlock, [2, 2, 2, 3]))

    def test_unet_maps_grey_to_probabilities_of_the_same_size_with_the_encoder_frozen(self):
        net = self._net().train()
        self.assertFalse(any(p.requires_grad for p in net.encoder_parameters()))
        self.assertFalse(net.stem.training or net.layer1.training or net.layer2.training)
        self.assertTrue(net.full.training)
        with torch.no_grad():
            p = net(torch.rand(2, 1, 40, 48))
        self.assertEqual(tuple(p.shape), (2, 1, 40, 48))
        self.assertTrue(bool(((p >= 0) & (p <= 1)).all()))

    def test_augment_is_seeded_moves_mask_with_image_and_keeps_it_binary(self):
        from cxr_train.lungseg import augment
        x = torch.rand(4, 1, 32, 32)
        m = (torch.rand(4, 1, 32, 32) > 0.5).float()
        a = augment(x, m, torch.Generator().manual_seed(3))
        b = augment(x, m, torch.Generator().manual_seed(3))
        self.assertTrue(torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]))
        self.assertEqual(set(torch.unique(a[1]).tolist()) - {0.0, 1.0}, set())
        self.assertFalse(torch.equal(a[1], m))

    def test_dice_of_thresholded_maps(self):
        from cxr_train.lungseg import dice
        t = torch.tensor([1.0, 1.0, 0.0, 0.0])
        self.assertEqual(dice(t, t), 1.0)
        self.assertEqual(dice(torch.tensor([0.0, 0.0, 0.9, 0.6]), t), 0.0)
        self.assertAlmostEqual(dice(torch.tensor([0.7, 0.2, 0.8, 0.1]), t), 0.5)


class LungSetTests(unittest.TestCase):
    def test_folds_keep_patients_whole_and_share_views(self):
        from cxr_train.lungsets import Film, patient_folds
        films = [Film("v7", f"{i}.png", f"v7:p{i // 3}", "PA" if i % 2 else "AP_Supine") for i in range(60)]
        films += [Film("demo", f"d{i}.png", f"demo:d{i}", "unknown") for i in range(4)]
        folds = patient_folds(films, 5)
        by_patient = {}
        for f, k in zip(films, folds):
            by_patient.setdefault(f.patient, set()).add(int(k))
        self.assertTrue(all(len(v) == 1 for v in by_patient.values()))
        sizes = np.bincount(folds, minlength=5)
        self.assertLessEqual(sizes.max() - sizes.min(), 3)
        self.assertEqual(len({int(k) for f, k in zip(films, folds) if f.set == "demo"}), 4)
        self.assertTrue(np.array_equal(folds, patient_folds(films, 5)))

    def test_summary_groups_by_fold_set_and_view(self):
        from cxr_train.lungsets import Film, summarize
        films = [Film("a", "1", "a:1", "PA"), Film("a", "2", "a:2", "AP_Supine"), Film("b", "3", "b:3", "unknown")]
        s = summarize(films, np.array([0, 1, 0]), [0.9, 0.8, 0.7])
        self.assertEqual(s["per_set"]["a"], {"n": 2, "mean": 0.85, "min": 0.8})
        self.assertEqual(s["per_view"]["a PA"]["mean"], 0.9)
        self.assertEqual(sorted(s["per_fold"]), ["fold 1: a", "fold 1: b", "fold 2: a"])


class MetricTests(unittest.TestCase):
    def test_auc_counts_ties_half_and_bootstrap_brackets_it(self):
        from cxr_train import metrics
        self.assertEqual(metrics.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75)
        self.assertEqual(metrics.auc([0, 1], [0.5, 0.5]), 0.5)
        rng = np.random.default_rng(0)
        y = rng.integers(0, 2, 200)
        s = y * 0.5 + rng.random(200)
        lo, hi = metrics.bootstrap_auc(y, s, np.arange(200) // 2, n=300)
        self.assertLess(lo, metrics.auc(y, s))
        self.assertGreater(hi, metrics.auc(y, s))


class TrunkTests(unittest.TestCase):
    def test_trunk_then_tail_blocks_is_the_whole_net_and_only_the_last_blocks_learn(self):
        from torchvision.models.resnet import BasicBlock, ResNet
        from cxr_train.trunk import Tail, trunk
        torch.manual_seed(0)
        net = ResNet(BasicBlock, [2, 2, 2, 3]).eval()
        net.fc = torch.nn.Identity()
        x = torch.rand(2, 3, 64, 64)
        tail = Tail(net, blocks=2, trainable=1).train()
        with torch.no_grad():
            self.assertTrue(torch.allclose(tail.pooled(trunk(net, x, "layer4.1")), net(x), atol=1e-5))
            self.assertTrue(torch.allclose(trunk(net, x, "pool"), net(x), atol=1e-5))
        self.assertEqual([any(p.requires_grad for p in b.parameters()) for b in tail.blocks], [False, True])
        self.assertFalse(any(m.training for m in tail.blocks.modules()))
        self.assertTrue(tail.head.training)

    def test_fp16_export_is_half_the_size_and_scores_as_the_rounded_net(self):
        import os
        import tempfile
        import onnx
        from onnx import numpy_helper
        from torchvision.models.resnet import BasicBlock, ResNet
        from cxr_train.export import export_onnx, store_weights_fp16
        from cxr_train.trunk import Tail
        torch.manual_seed(0)
        net = ResNet(BasicBlock, [2, 2, 2, 3]).eval()
        tail = Tail(net, blocks=1, trainable=1).eval()
        x = torch.rand(2, 512, 2, 2)
        with torch.no_grad():
            before = tail(x)[0]
            store_weights_fp16(tail)
            after = tail(x)[0]
        self.assertTrue(torch.allclose(before, after, atol=1e-2))
        with tempfile.TemporaryDirectory() as d:
            export_onnx(tail, x[:1], os.path.join(d, "a.onnx"), "features")
            export_onnx(tail, x[:1], os.path.join(d, "b.onnx"), "features", fp16=True)
            a, b = (os.path.getsize(os.path.join(d, n)) for n in ("a.onnx", "b.onnx"))
            self.assertLess(b, 0.55 * a)
            m = onnx.load(os.path.join(d, "b.onnx"))
            halves = [numpy_helper.to_array(t) for t in m.graph.initializer if t.data_type == onnx.TensorProto.FLOAT16]
            self.assertTrue(halves)
            self.assertEqual(sum(1 for n in m.graph.node if n.op_type == "Cast"), len(halves))
