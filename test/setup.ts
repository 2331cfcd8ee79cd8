/**
 * Every test file starts on the backend the harness would choose (OPTNN_BACKEND overrides it), with
 * tfjs's "install tfjs-node" banner silenced.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../course/backend.js';

tf.env().set('PROD', true);
await selectBackend();
